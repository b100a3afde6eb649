// The text of one log line, in either format (log.hpp shows both), apart
// from the writing so that the format can be tested byte for byte.
//
// JSON lines are one object per line whatever the message holds: quotes,
// backslashes and control characters are escaped, and bytes that are not
// valid UTF-8 become U+FFFD, so every line parses as JSON. Text lines write
// the message as given.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/support/log.hpp"

namespace vigil::core {

struct LogRecord {
  int64_t unix_ms = 0;
  LogLevel level = LogLevel::info;
  std::string_view component;
  std::string_view message;
  std::vector<LogField> fields;  // in order; empty values are skipped
};

// The line, ending with '\n'. `time` is RFC 3339 UTC with milliseconds.
std::string format_log_line(LogFormat format, const LogRecord& record);

// Appends `text` as a JSON string literal, quotes included.
void append_json_string(std::string& out, std::string_view text);

}  // namespace vigil::core
