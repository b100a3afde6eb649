#include "core/support/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/support/log_line.hpp"

namespace vigil::core {
namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::info)};
std::atomic<LogFormat> g_format{LogFormat::text};
std::mutex g_write;

// The fields of this thread's open LogScopes, outermost first.
thread_local std::vector<std::pair<std::string, std::string>> t_scope_fields;

bool given(LogFields fields, std::string_view key) {
  for (const LogField& field : fields)
    if (field.key == key) return true;
  return false;
}

int64_t now_unix_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

void set_log_level(LogLevel level) noexcept {
  g_level = static_cast<int>(level);
}

void set_log_format(LogFormat format) noexcept {
  g_format = format;
}

bool log_enabled(LogLevel level) noexcept {
  return static_cast<int>(level) >= g_level.load();
}

void log(LogLevel level, std::string_view component, std::string_view message, LogFields fields) noexcept {
  if (!log_enabled(level)) return;
  try {
    LogRecord record{now_unix_ms(), level, component, message, std::vector<LogField>(fields)};
    for (const auto& [key, value] : t_scope_fields)
      if (!given(fields, key)) record.fields.push_back({key, value});
    std::string line = format_log_line(g_format.load(), record);
    std::lock_guard lock(g_write);
    std::fwrite(line.data(), 1, line.size(), stderr);
  } catch (...) {
    // Out of memory: the line is lost, the caller carries on.
  }
}

LogScope::LogScope(LogFields fields) : outer_size_(t_scope_fields.size()) {
  for (const LogField& field : fields)
    if (!field.value.empty()) t_scope_fields.emplace_back(field.key, field.value);
}

LogScope::~LogScope() {
  t_scope_fields.resize(outer_size_);
}

}  // namespace vigil::core
