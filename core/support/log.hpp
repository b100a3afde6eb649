// Logging for the host and, through host services, for plugins.
//
// One line per event on stderr: "2026-11-25T10:00:00.123Z WARN  [feed-replay] text".
// Thread-safe. The level filter is global and set once at start.
#pragma once

#include <string_view>

namespace vigil::core {

enum class LogLevel { debug = 0, info = 1, warn = 2, error = 3 };

void set_log_level(LogLevel level) noexcept;
bool log_enabled(LogLevel level) noexcept;
void log(LogLevel level, std::string_view component, std::string_view message) noexcept;

}  // namespace vigil::core
