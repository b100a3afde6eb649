// Vigil C++ SDK — UTC times as text: ISO-8601 ("2024-01-02T10:00:00.123Z")
// and unix milliseconds, both ways, exactly (no time zone database, no
// locale). Shared by the host and plugins so both read times the same way:
// a feed parsing its rows with parse_time reads a tick's time as the host's
// tick files, positions files and admin API do.
//
// Pure functions: thread-safe, no global state. parse_time never throws and
// never allocates; format_iso_time allocates its result (std::bad_alloc).
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::sdk {

namespace detail {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
inline int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

inline void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
}

inline bool digits(std::string_view text, size_t at, size_t count, int& out) {
  if (at + count > text.size()) return false;
  out = 0;
  for (size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

inline unsigned days_in_month(int year, int month) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

inline std::optional<int64_t> parse_unix_ms(std::string_view text) {
  if (text.empty() || text.size() > 15) return std::nullopt;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace detail

// Unix milliseconds (UTC) of `text`, or nullopt when it is not one of:
//  - ISO-8601 UTC: "YYYY-MM-DDTHH:MM:SS", a space allowed for the 'T', then
//    an optional fraction of 1 to 9 digits (milliseconds kept, the rest cut,
//    never rounded), then "Z" or "+00:00". Other offsets, a missing zone,
//    an impossible date (February 30) or time (a leap second, 24:00) are
//    refused rather than guessed at.
//  - unix milliseconds: 1 to 15 digits, no sign ("1704189600123").
// A date before 1970 gives a negative value.
inline std::optional<int64_t> parse_time(std::string_view text) {
  if (text.find('-') == std::string_view::npos) return detail::parse_unix_ms(text);
  int year, month, day, hour, minute, second;
  if (text.size() < 20 || !detail::digits(text, 0, 4, year) || text[4] != '-' || !detail::digits(text, 5, 2, month) ||
      text[7] != '-' || !detail::digits(text, 8, 2, day) || (text[10] != 'T' && text[10] != ' ') ||
      !detail::digits(text, 11, 2, hour) || text[13] != ':' || !detail::digits(text, 14, 2, minute) ||
      text[16] != ':' || !detail::digits(text, 17, 2, second))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || static_cast<unsigned>(day) > detail::days_in_month(year, month) ||
      hour > 23 || minute > 59 || second > 59)
    return std::nullopt;
  size_t at = 19;
  int millis = 0;
  if (at < text.size() && text[at] == '.') {
    size_t start = ++at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      if (at - start < 3) millis = millis * 10 + (text[at] - '0');
      ++at;
    }
    if (at == start || at - start > 9) return std::nullopt;
    for (size_t n = at - start; n < 3; ++n) millis *= 10;
  }
  std::string_view zone = text.substr(at);
  if (zone != "Z" && zone != "+00:00") return std::nullopt;
  int64_t days = detail::days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return ((days * 24 + hour) * 60 + minute) * 60000 + second * 1000 + millis;
}

// `unix_ms` as ISO-8601 UTC with milliseconds, "2024-01-02T10:00:00.123Z",
// which parse_time reads back to the same value for years 0000 to 9999.
inline std::string format_iso_time(int64_t unix_ms) {
  int64_t days = unix_ms >= 0 ? unix_ms / 86400000 : (unix_ms - 86399999) / 86400000;
  int64_t in_day = unix_ms - days * 86400000;
  int64_t year;
  unsigned month, day;
  detail::civil_from_days(days, year, month, day);
  char text[96];
  std::snprintf(text, sizeof text, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", static_cast<long long>(year), month,
                day, static_cast<long long>(in_day / 3600000), static_cast<long long>(in_day / 60000 % 60),
                static_cast<long long>(in_day / 1000 % 60), static_cast<long long>(in_day % 1000));
  return text;
}

}  // namespace vigil::sdk
