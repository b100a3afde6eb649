// Logging for the host and, through host services, for plugins.
//
// One line per event on stderr, in one of two formats (log_line.hpp):
//   text (the default)  2026-11-25T10:00:00.123Z WARN  [feed-replay] text position_id=pos_1
//   json                {"time":"2026-11-25T10:00:00.123Z","level":"warn","component":"feed-replay",
//                        "message":"text","position_id":"pos_1"}
// Ids travel as fields, not only inside the message, so that a log store
// can find every line of one position, device or request. A call site names
// the ids it knows (`log(..., {{"position_id", id}})`); ids known for a
// whole stretch of work (the request id and device of an application call)
// are set once with a LogScope and carried by every line the thread writes
// meanwhile, so the call sites inside need not repeat them.
//
// Thread-safe: lines never interleave. The level and format are global and
// set once at start. Never log secrets or hidden levels.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string_view>

namespace vigil::core {

enum class LogLevel { debug = 0, info = 1, warn = 2, error = 3 };
enum class LogFormat { text, json };

// One identifier a line carries besides its message: {"position_id", "pos_..."}.
// An empty value is left out.
struct LogField {
  std::string_view key;
  std::string_view value;
};
using LogFields = std::initializer_list<LogField>;

void set_log_level(LogLevel level) noexcept;
void set_log_format(LogFormat format) noexcept;
bool log_enabled(LogLevel level) noexcept;
// `fields` come first, then those of the thread's open scopes (a key given
// here wins over a scope's).
void log(LogLevel level, std::string_view component, std::string_view message, LogFields fields = {}) noexcept;

// Fields carried by every line this thread writes while the scope lives.
// Scopes nest; each copies its values, so the caller's strings may go.
// Must be destroyed on the thread that made it, innermost first (as a local).
class LogScope {
 public:
  explicit LogScope(LogFields fields);
  ~LogScope();
  LogScope(const LogScope&) = delete;
  LogScope& operator=(const LogScope&) = delete;

 private:
  std::size_t outer_size_;  // the thread's scope fields before this one
};

}  // namespace vigil::core
