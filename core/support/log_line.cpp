#include "core/support/log_line.hpp"

#include <cstdio>
#include <ctime>

namespace vigil::core {
namespace {

const char* text_label(LogLevel level) {
  switch (level) {
    case LogLevel::debug:
      return "DEBUG";
    case LogLevel::info:
      return "INFO ";
    case LogLevel::warn:
      return "WARN ";
    case LogLevel::error:
      return "ERROR";
  }
  return "?????";
}

const char* json_label(LogLevel level) {
  switch (level) {
    case LogLevel::debug:
      return "debug";
    case LogLevel::info:
      return "info";
    case LogLevel::warn:
      return "warn";
    case LogLevel::error:
      return "error";
  }
  return "unknown";
}

// "2026-11-25T10:00:00.123Z"
std::string utc_time(int64_t unix_ms) {
  int64_t millis = unix_ms % 1000;
  if (millis < 0) millis += 1000;
  std::time_t seconds = static_cast<std::time_t>((unix_ms - millis) / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char stamp[40];
  size_t n = std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(stamp + n, sizeof stamp - n, ".%03dZ", static_cast<int>(millis));
  return stamp;
}

bool continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

// The length of the valid UTF-8 sequence starting text[i] (a non-ASCII
// byte), or 0 when it is not one: overlong forms, surrogates and code
// points past U+10FFFF are invalid (RFC 3629).
size_t utf8_sequence(std::string_view text, size_t i) {
  auto at = [&](size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0; };
  unsigned char lead = at(0);
  unsigned char second = at(1);
  if (lead >= 0xC2 && lead <= 0xDF) return continuation(second) ? 2 : 0;
  unsigned char low = 0x80, high = 0xBF;
  size_t length = 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (second < low || second > high) return 0;
  for (size_t k = 2; k < length; ++k)
    if (!continuation(at(k))) return 0;
  return length;
}

void append_escaped_byte(std::string& out, unsigned char c) {
  switch (c) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default:
      break;
  }
  if (c < 0x20 || c == 0x7F) {
    char escape[8];
    std::snprintf(escape, sizeof escape, "\\u%04x", c);
    out += escape;
    return;
  }
  out += static_cast<char>(c);
}

void append_json_line(std::string& out, const LogRecord& record) {
  out += "{\"time\":\"" + utc_time(record.unix_ms) + "\",\"level\":\"" + json_label(record.level) + "\",\"component\":";
  append_json_string(out, record.component);
  out += ",\"message\":";
  append_json_string(out, record.message);
  for (const LogField& field : record.fields) {
    if (field.value.empty()) continue;
    out += ',';
    append_json_string(out, field.key);
    out += ':';
    append_json_string(out, field.value);
  }
  out += "}\n";
}

void append_text_line(std::string& out, const LogRecord& record) {
  out += utc_time(record.unix_ms) + " " + text_label(record.level) + " [";
  out.append(record.component).append("] ").append(record.message);
  for (const LogField& field : record.fields) {
    if (field.value.empty()) continue;
    out.append(" ").append(field.key).append("=").append(field.value);
  }
  out += '\n';
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      append_escaped_byte(out, c);
      ++i;
      continue;
    }
    size_t length = utf8_sequence(text, i);
    if (length == 0) {
      out += "\\ufffd";  // one replacement per invalid byte: the line stays JSON
      ++i;
      continue;
    }
    out.append(text.substr(i, length));
    i += length;
  }
  out += '"';
}

std::string format_log_line(LogFormat format, const LogRecord& record) {
  std::string out;
  out.reserve(96 + record.message.size());
  if (format == LogFormat::json)
    append_json_line(out, record);
  else
    append_text_line(out, record);
  return out;
}

}  // namespace vigil::core
