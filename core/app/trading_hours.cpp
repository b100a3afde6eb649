#include "core/app/trading_hours.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>

namespace vigil::core {
namespace {

constexpr int64_t kMinute = 60'000, kDay = 1440 * kMinute, kWeek = 7 * kDay;
constexpr std::array<std::string_view, 7> kDays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr const char* kFormat = "expected 'DAY[-DAY] HH:MM-HH:MM', e.g. 'Mon-Fri 00:00-24:00'";

// 1970-01-01 was a Thursday, day 3 of a week starting on Monday.
int64_t ms_of_week(int64_t unix_ms) {
  return ((unix_ms + 3 * kDay) % kWeek + kWeek) % kWeek;
}

int day_index(std::string_view name, std::string_view session) {
  for (size_t i = 0; i < kDays.size(); ++i)
    if (name.size() == 3 && std::equal(name.begin(), name.end(), kDays[i].begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        }))
      return static_cast<int>(i);
  throw std::invalid_argument("'" + std::string(session) + "': unknown day '" + std::string(name) +
                              "' (expected Mon, Tue, Wed, Thu, Fri, Sat or Sun)");
}

// "HH:MM" from 00:00 to 24:00, in milliseconds from midnight.
int64_t time_of_day(std::string_view text, std::string_view session) {
  auto digit = [&](size_t i) { return std::isdigit(static_cast<unsigned char>(text[i])) != 0; };
  bool shaped = text.size() == 5 && digit(0) && digit(1) && text[2] == ':' && digit(3) && digit(4);
  int hours = shaped ? (text[0] - '0') * 10 + (text[1] - '0') : -1;
  int minutes = shaped ? (text[3] - '0') * 10 + (text[4] - '0') : -1;
  if (!shaped || hours > 24 || minutes > 59 || (hours == 24 && minutes != 0))
    throw std::invalid_argument("'" + std::string(session) + "': '" + std::string(text) +
                                "' is not a time of day (HH:MM, 00:00 to 24:00)");
  return (hours * 60 + minutes) * kMinute;
}

}  // namespace

TradingHours::TradingHours(const std::vector<std::string>& sessions) {
  if (sessions.empty()) throw std::invalid_argument("no session given (leave trading_hours out to trade always)");
  for (const std::string& session : sessions) add(session);
  merge();
}

void TradingHours::add(std::string_view session) {
  size_t space = session.find(' ');
  size_t times_at = session.find_first_not_of(' ', space);
  if (space == std::string_view::npos || times_at == std::string_view::npos)
    throw std::invalid_argument("'" + std::string(session) + "': " + kFormat);
  std::string_view days = session.substr(0, space), times = session.substr(times_at);
  size_t days_dash = days.find('-'), times_dash = times.find('-');
  if (times_dash == std::string_view::npos) throw std::invalid_argument("'" + std::string(session) + "': " + kFormat);
  int first = day_index(days.substr(0, days_dash), session);
  int last = days_dash == std::string_view::npos ? first : day_index(days.substr(days_dash + 1), session);
  int64_t start = time_of_day(times.substr(0, times_dash), session);
  int64_t end = time_of_day(times.substr(times_dash + 1), session);
  if (end <= start)
    throw std::invalid_argument("'" + std::string(session) +
                                "': the session ends before it starts (split an overnight session at 24:00)");
  for (int day = first;; day = (day + 1) % 7) {  // a range may wrap the week: Fri-Mon
    spans_.push_back({day * kDay + start, day * kDay + end});
    if (day == last) break;
  }
}

// Touching or overlapping spans become one, and a span ending at the week's
// end joins one starting at Monday 00:00, so a session's start is where the
// market really opened.
void TradingHours::merge() {
  std::sort(spans_.begin(), spans_.end(), [](const Span& a, const Span& b) { return a.start < b.start; });
  std::vector<Span> merged;
  for (const Span& span : spans_) {
    if (!merged.empty() && span.start <= merged.back().end)
      merged.back().end = std::max(merged.back().end, span.end);
    else
      merged.push_back(span);
  }
  if (merged.size() > 1 && merged.front().start == 0 && merged.back().end == kWeek) {
    merged.back().end = kWeek + merged.front().end;
    merged.erase(merged.begin());
  }
  always_open_ = merged.size() == 1 && merged.front().start == 0 && merged.front().end == kWeek;
  spans_ = always_open_ ? std::vector<Span>{} : std::move(merged);
}

std::optional<int64_t> TradingHours::open_since(int64_t unix_ms) const {
  if (always_open_) return std::numeric_limits<int64_t>::min();
  int64_t at = ms_of_week(unix_ms);
  for (const Span& span : spans_) {
    if (span.start <= at && at < span.end) return unix_ms - (at - span.start);
    if (span.end > kWeek && at < span.end - kWeek) return unix_ms - (at + kWeek - span.start);  // wrapped
  }
  return std::nullopt;
}

}  // namespace vigil::core
