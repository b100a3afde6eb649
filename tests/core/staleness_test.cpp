#include "core/app/staleness.hpp"

#include <gtest/gtest.h>

#include "tests/core/manual_clock.hpp"

using namespace vigil::core;
using vigil::test::kMondayNoon;

namespace {

constexpr int64_t kHour = 3'600'000;
const TradingHours kWeekdays({"Mon-Fri 00:00-24:00"});

}  // namespace

TEST(Staleness, AnInstrumentSilentLongerThanTheLimitWhileItTradesIsStale) {
  Staleness s(30'000, kMondayNoon - kHour);
  EXPECT_FALSE(s.stale(kWeekdays, kMondayNoon, kMondayNoon + 30'000));
  EXPECT_TRUE(s.stale(kWeekdays, kMondayNoon, kMondayNoon + 30'001));
}

TEST(Staleness, WithoutALimitNothingIsEverStale) {
  Staleness s(0, kMondayNoon);
  EXPECT_FALSE(s.stale(TradingHours(), 1, kMondayNoon + 100 * kHour));
}

TEST(Staleness, AClosedMarketIsNotStale) {
  Staleness s(30'000, kMondayNoon);
  int64_t saturday = kMondayNoon + 5 * 24 * kHour;
  EXPECT_FALSE(s.stale(kWeekdays, kMondayNoon, saturday));
}

TEST(Staleness, SilenceCountsFromTheHostsStartBeforeAnyTick) {
  Staleness s(30'000, kMondayNoon);
  EXPECT_FALSE(s.stale(TradingHours(), 0, kMondayNoon + 30'000));
  EXPECT_TRUE(s.stale(TradingHours(), 0, kMondayNoon + 30'001));
}

TEST(Staleness, SilenceCountsFromTheSessionsStartWhenThatCameLater) {
  Staleness s(30'000, kMondayNoon - 100 * kHour);
  int64_t monday_open = kMondayNoon - 12 * kHour;  // the weekend's silence is no staleness
  EXPECT_FALSE(s.stale(kWeekdays, monday_open - 48 * kHour, monday_open + 30'000));
  EXPECT_TRUE(s.stale(kWeekdays, monday_open - 48 * kHour, monday_open + 30'001));
}
