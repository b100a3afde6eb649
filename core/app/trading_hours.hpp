// An instrument's weekly trading sessions in UTC, for judging staleness: a
// quiet market outside its hours is closed, not stale.
//
// A session is written "DAY[-DAY] HH:MM-HH:MM": "Mon-Fri 00:00-24:00",
// "Sun 22:00-24:00". A day range may wrap the week ("Fri-Mon"); the end is
// after the start and may be 24:00, so an overnight session is written as
// two ("Sun 22:00-24:00" and "Mon 00:00-06:00"). Sessions that touch or
// overlap merge into one, across midnight and the week's end too, so a
// market open Sunday 22:00 to Friday 22:00 is one session, not six.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::core {

class TradingHours {
 public:
  // Always open.
  TradingHours() = default;
  // Throws std::invalid_argument saying what is wrong with which session.
  explicit TradingHours(const std::vector<std::string>& sessions);

  bool always_open() const noexcept { return always_open_; }
  // When the session open at `unix_ms` started (INT64_MIN when always
  // open), or nothing when the market is closed then.
  std::optional<int64_t> open_since(int64_t unix_ms) const;

 private:
  struct Span {  // milliseconds from Monday 00:00 UTC; `end` may pass the week's end
    int64_t start, end;
  };
  void add(std::string_view session);
  void merge();

  bool always_open_ = true;
  std::vector<Span> spans_;
};

}  // namespace vigil::core
