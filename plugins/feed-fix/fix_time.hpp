// FIX UTC times to unix milliseconds: UTCTimestamp "20241125-10:00:00.123"
// (SendingTime) and UTCDateOnly "20241125" with UTCTimeOnly "10:00:00.123"
// (MDEntryDate, MDEntryTime). Fractions beyond milliseconds are truncated.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "vigil/cpp/iso_time.hpp"

namespace vigil::fixfeed {

inline std::optional<int64_t> parse_fix_date(std::string_view text) {
  int year, month, day;
  if (text.size() != 8 || !sdk::detail::digits(text, 0, 4, year) || !sdk::detail::digits(text, 4, 2, month) ||
      !sdk::detail::digits(text, 6, 2, day) || month < 1 || month > 12 || day < 1 ||
      static_cast<unsigned>(day) > sdk::detail::days_in_month(year, month))
    return std::nullopt;
  return sdk::detail::days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400000;
}

// Milliseconds since midnight.
inline std::optional<int64_t> parse_fix_time_of_day(std::string_view text) {
  int hour, minute, second;
  if (text.size() < 8 || !sdk::detail::digits(text, 0, 2, hour) || text[2] != ':' ||
      !sdk::detail::digits(text, 3, 2, minute) || text[5] != ':' || !sdk::detail::digits(text, 6, 2, second) ||
      hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
  int64_t millis = 0;
  if (text.size() > 8) {
    if (text[8] != '.' || text.size() == 9) return std::nullopt;
    size_t count = 0;
    for (size_t at = 9; at < text.size(); ++at, ++count) {
      if (text[at] < '0' || text[at] > '9') return std::nullopt;
      if (count < 3) millis = millis * 10 + (text[at] - '0');
    }
    for (; count < 3; ++count) millis *= 10;
  }
  return ((hour * 60 + minute) * 60 + second) * int64_t{1000} + millis;
}

inline std::optional<int64_t> parse_fix_timestamp(std::string_view text) {
  if (text.size() < 17 || text[8] != '-') return std::nullopt;
  auto date = parse_fix_date(text.substr(0, 8));
  auto time = parse_fix_time_of_day(text.substr(9));
  if (!date || !time) return std::nullopt;
  return *date + *time;
}

}  // namespace vigil::fixfeed
