#include "core/app/trading_hours.hpp"

#include <gtest/gtest.h>

#include <limits>

using namespace vigil::core;

namespace {

constexpr int64_t kMinute = 60'000, kHour = 60 * kMinute, kDay = 24 * kHour, kWeek = 7 * kDay;
constexpr int64_t kMonday = 1796601600000;  // 2026-12-07T00:00:00Z, a Monday

// Unix ms of `day` (0 = Monday) at hh:mm in the week of kMonday, `weeks` later.
int64_t at(int day, int hh, int mm = 0, int64_t weeks = 0) {
  return kMonday + weeks * kWeek + day * kDay + hh * kHour + mm * kMinute;
}

std::string error_of(const std::vector<std::string>& sessions) {
  try {
    TradingHours hours(sessions);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(TradingHours, DefaultIsAlwaysOpenFromTheBeginningOfTime) {
  TradingHours hours;
  EXPECT_TRUE(hours.always_open());
  EXPECT_EQ(hours.open_since(at(5, 12)), std::numeric_limits<int64_t>::min());
}

TEST(TradingHours, SessionEdgesStartIncludedEndExcluded) {
  TradingHours hours({"Wed 09:30-16:00"});
  EXPECT_FALSE(hours.always_open());
  EXPECT_FALSE(hours.open_since(at(2, 9, 29)));
  EXPECT_EQ(hours.open_since(at(2, 9, 30)), at(2, 9, 30));
  EXPECT_EQ(hours.open_since(at(2, 15, 59)), at(2, 9, 30));
  EXPECT_FALSE(hours.open_since(at(2, 16, 0)));
  EXPECT_FALSE(hours.open_since(at(3, 10)));                              // Thursday: closed
  EXPECT_EQ(hours.open_since(at(2, 10, 0, 3)), at(2, 9, 30, 3));          // the same every week
  EXPECT_EQ(hours.open_since(at(2, 10, 0, -2000)), at(2, 9, 30, -2000));  // and before 1970 too
}

TEST(TradingHours, DayRangeOfSeparateSessionsEachStartsItsOwnDay) {
  TradingHours hours({"Mon-Fri 08:00-17:00"});
  for (int day = 0; day < 5; ++day) {
    EXPECT_EQ(hours.open_since(at(day, 12)), at(day, 8)) << day;
    EXPECT_FALSE(hours.open_since(at(day, 20))) << day;
  }
  EXPECT_FALSE(hours.open_since(at(5, 12)));
  EXPECT_FALSE(hours.open_since(at(6, 12)));
}

TEST(TradingHours, MidnightTo2400DaysMergeIntoOneSessionEndingAt2400) {
  TradingHours hours({"Mon-Fri 00:00-24:00"});
  EXPECT_EQ(hours.open_since(at(0, 0)), at(0, 0));
  EXPECT_EQ(hours.open_since(at(3, 23, 59)), at(0, 0));  // Thursday night: still Monday's session
  EXPECT_EQ(hours.open_since(at(4, 23, 59)), at(0, 0));
  EXPECT_FALSE(hours.open_since(at(5, 0)));  // 24:00 Friday is Saturday 00:00: closed
  EXPECT_FALSE(hours.open_since(at(6, 23, 59)));
}

TEST(TradingHours, ForexWeekWrapsFromSundayEveningIntoMonday) {
  TradingHours hours({"Sun 22:00-24:00", "Mon-Thu 00:00-24:00", "Fri 00:00-22:00"});
  EXPECT_FALSE(hours.open_since(at(6, 21, 59)));
  EXPECT_EQ(hours.open_since(at(6, 22, 0)), at(6, 22, 0));
  // Monday morning belongs to the session that opened the Sunday before.
  EXPECT_EQ(hours.open_since(at(0, 1)), at(6, 22, 0, -1));
  EXPECT_EQ(hours.open_since(at(4, 21, 59)), at(6, 22, 0, -1));
  EXPECT_FALSE(hours.open_since(at(4, 22, 0)));
  EXPECT_FALSE(hours.open_since(at(5, 12)));
}

TEST(TradingHours, DayRangeMayWrapTheWeek) {
  TradingHours hours({"Sat-Mon 00:00-24:00"});
  EXPECT_EQ(hours.open_since(at(5, 0)), at(5, 0));
  EXPECT_EQ(hours.open_since(at(6, 12)), at(5, 0));
  EXPECT_EQ(hours.open_since(at(0, 23, 59, 1)), at(5, 0));
  EXPECT_FALSE(hours.open_since(at(1, 0)));
  EXPECT_FALSE(hours.open_since(at(4, 12)));
}

TEST(TradingHours, OverlappingSessionsMergeAndAWholeWeekIsAlwaysOpen) {
  TradingHours overlap({"Tue 08:00-12:00", "Tue 11:00-14:00"});
  EXPECT_EQ(overlap.open_since(at(1, 13)), at(1, 8));
  EXPECT_TRUE(TradingHours({"Mon-Sun 00:00-24:00"}).always_open());
  EXPECT_TRUE(TradingHours({"Thu-Wed 00:00-24:00"}).always_open());
}

TEST(TradingHours, RefusesMalformedSessionsSayingWhy) {
  EXPECT_EQ(error_of({}), "no session given (leave trading_hours out to trade always)");
  EXPECT_EQ(error_of({"Mon-Fri"}), "'Mon-Fri': expected 'DAY[-DAY] HH:MM-HH:MM', e.g. 'Mon-Fri 00:00-24:00'");
  EXPECT_EQ(error_of({"Mon 09:00"}), "'Mon 09:00': expected 'DAY[-DAY] HH:MM-HH:MM', e.g. 'Mon-Fri 00:00-24:00'");
  EXPECT_EQ(error_of({"Mon-Fry 00:00-24:00"}),
            "'Mon-Fry 00:00-24:00': unknown day 'Fry' (expected Mon, Tue, Wed, Thu, Fri, Sat or Sun)");
  EXPECT_EQ(error_of({"Mon 9:00-17:00"}), "'Mon 9:00-17:00': '9:00' is not a time of day (HH:MM, 00:00 to 24:00)");
  EXPECT_EQ(error_of({"Mon 09:00-24:30"}), "'Mon 09:00-24:30': '24:30' is not a time of day (HH:MM, 00:00 to 24:00)");
  EXPECT_EQ(error_of({"Mon 09:60-10:00"}), "'Mon 09:60-10:00': '09:60' is not a time of day (HH:MM, 00:00 to 24:00)");
  EXPECT_EQ(error_of({"Sun 22:00-06:00"}),
            "'Sun 22:00-06:00': the session ends before it starts (split an overnight session at 24:00)");
  EXPECT_EQ(error_of({"Mon 10:00-10:00"}),
            "'Mon 10:00-10:00': the session ends before it starts (split an overnight session at 24:00)");
  EXPECT_EQ(error_of({"mon-fri 00:00-24:00"}), "no error");  // day names in any case
}
