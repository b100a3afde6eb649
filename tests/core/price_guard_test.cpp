#include "core/app/price_guard.hpp"

#include <gtest/gtest.h>

using namespace vigil::core;

namespace {

ParsedTick quote(std::optional<int64_t> bid, std::optional<int64_t> ask, int64_t seq = 0) {
  ParsedTick t;
  t.bid = bid;
  t.ask = ask;
  t.sequence = seq;
  return t;
}

// A guard warmed up on a calm market: moves of 2 points, spikes above 40.
PriceGuard calm_guard(GuardOptions::SpikeMode mode) {
  GuardOptions options;
  options.spike_mode = mode;
  options.warmup_ticks = 10;
  PriceGuard guard(options);
  for (int i = 0; i < 20; ++i) {
    int64_t bid = 100000 + (i % 2) * 2;
    EXPECT_EQ(guard.check(quote(bid, bid + 2)).release.size(), 1u);
  }
  return guard;
}

}  // namespace

TEST(PriceGuard, RefusesACrossedQuoteIncludingOneMadeByAOneSidedTick) {
  PriceGuard guard({});
  EXPECT_FALSE(guard.check(quote(100, 90)).refused.empty());
  EXPECT_EQ(guard.check(quote(100, 102)).release.size(), 1u);
  auto verdict = guard.check(quote(103, std::nullopt));
  EXPECT_TRUE(verdict.release.empty());
  EXPECT_EQ(verdict.refused, "crossed quote: bid above ask");
}

TEST(PriceGuard, HoldsASpikeAndReleasesItWhenTheNextTickConfirms) {
  PriceGuard guard = calm_guard(GuardOptions::SpikeMode::hold);
  auto held = guard.check(quote(101000, 101002, 1));
  EXPECT_TRUE(held.held);
  EXPECT_TRUE(held.release.empty());
  auto confirmed = guard.check(quote(101004, 101006, 2));
  ASSERT_EQ(confirmed.release.size(), 2u);
  EXPECT_EQ(confirmed.release[0].sequence, 1);
  EXPECT_EQ(confirmed.release[1].sequence, 2);
  EXPECT_EQ(guard.spikes_dropped(), 0u);
}

TEST(PriceGuard, DropsASpikeTheNextTickDoesNotConfirm) {
  PriceGuard guard = calm_guard(GuardOptions::SpikeMode::hold);
  guard.check(quote(90000, 90002, 1));
  auto verdict = guard.check(quote(100002, 100004, 2));
  ASSERT_EQ(verdict.release.size(), 1u);
  EXPECT_EQ(verdict.release[0].sequence, 2);
  EXPECT_EQ(verdict.refused, "spike not confirmed by the next tick");
  EXPECT_EQ(guard.spikes_dropped(), 1u);
}

TEST(PriceGuard, RejectsSpikesOutrightWhenConfiguredTo) {
  PriceGuard guard = calm_guard(GuardOptions::SpikeMode::reject);
  auto verdict = guard.check(quote(101000, 101002));
  EXPECT_TRUE(verdict.release.empty());
  EXPECT_FALSE(verdict.held);
  EXPECT_EQ(guard.spikes_seen(), 1u);
}

TEST(PriceGuard, JudgesNoSpikeBeforeItHasLearnedTheMarket) {
  GuardOptions options;
  options.warmup_ticks = 10;
  PriceGuard guard(options);
  EXPECT_EQ(guard.check(quote(100000, 100002)).release.size(), 1u);
  EXPECT_EQ(guard.check(quote(150000, 150002)).release.size(), 1u);
}

TEST(PriceGuard, LetsEverythingThroughWhenOff) {
  PriceGuard guard = calm_guard(GuardOptions::SpikeMode::off);
  EXPECT_EQ(guard.check(quote(150000, 150002)).release.size(), 1u);
}

namespace {

PriceGuard calm_guard_holding_after_gaps(GuardOptions::SpikeMode mode = GuardOptions::SpikeMode::hold) {
  PriceGuard guard = calm_guard(mode);
  guard.set_hold_when_stale(true);
  return guard;
}

}  // namespace

TEST(PriceGuard, AfterAGapHoldsTheFirstTickUntilTheNextConfirmsIt) {
  PriceGuard guard = calm_guard_holding_after_gaps();
  auto first = guard.check(quote(100300, 100302, 1), true);  // the market moved during the gap
  EXPECT_TRUE(first.held);
  EXPECT_TRUE(first.release.empty());
  EXPECT_EQ(guard.gap_held(), 1u);
  auto second = guard.check(quote(100302, 100304, 2));
  ASSERT_EQ(second.release.size(), 2u);
  EXPECT_EQ(second.release[0].sequence, 1);
  EXPECT_EQ(second.release[1].sequence, 2);
  EXPECT_FALSE(second.held);
  EXPECT_EQ(guard.gap_released(), 1u);
  EXPECT_EQ(guard.spikes_seen(), 0u);  // the jump across the gap is judged by the confirmation, not as a spike
  EXPECT_EQ(guard.check(quote(100304, 100306, 3)).release.size(), 1u);  // then ticks flow again
}

TEST(PriceGuard, AfterAGapDropsAnUnconfirmedFirstTickAndWaitsForTwoThatAgree) {
  PriceGuard guard = calm_guard_holding_after_gaps();
  EXPECT_TRUE(guard.check(quote(90000, 90002, 1), true).held);  // a cached quote, far off
  auto second = guard.check(quote(100002, 100004, 2));
  EXPECT_TRUE(second.release.empty());
  EXPECT_TRUE(second.held);
  EXPECT_EQ(second.refused, "first tick after a gap not confirmed by the next one");
  auto third = guard.check(quote(100004, 100006, 3));
  ASSERT_EQ(third.release.size(), 2u);
  EXPECT_EQ(third.release[0].sequence, 2);
  EXPECT_EQ(third.release[1].sequence, 3);
  EXPECT_EQ(guard.gap_held(), 2u);
  EXPECT_EQ(guard.gap_dropped(), 1u);
  EXPECT_EQ(guard.gap_released(), 1u);
}

TEST(PriceGuard, AfterAGapConfirmsByDistanceEvenWithSpikeJudgementOff) {
  PriceGuard guard = calm_guard_holding_after_gaps(GuardOptions::SpikeMode::off);
  EXPECT_TRUE(guard.check(quote(90000, 90002, 1), true).held);
  EXPECT_TRUE(guard.check(quote(100002, 100004, 2)).release.empty());
  EXPECT_EQ(guard.gap_dropped(), 1u);
}

TEST(PriceGuard, AfterAGapACrossedQuoteIsRefusedAndTheNextGoodTickIsHeld) {
  PriceGuard guard = calm_guard_holding_after_gaps();
  auto crossed = guard.check(quote(100010, 100000, 1), true);
  EXPECT_EQ(crossed.refused, "crossed quote: bid above ask");
  EXPECT_FALSE(crossed.held);
  EXPECT_TRUE(guard.check(quote(100002, 100004, 2)).held);  // still the first good tick after the gap
  EXPECT_EQ(guard.check(quote(100004, 100006, 3)).release.size(), 2u);
}

TEST(PriceGuard, AfterAGapAOneSidedTickIsCheckedWithTheHeldTicksOtherSide) {
  PriceGuard guard = calm_guard_holding_after_gaps();
  EXPECT_TRUE(guard.check(quote(100300, 100302, 1), true).held);
  auto crossed = guard.check(quote(100303, std::nullopt, 2));  // above the held ask, not the old one
  EXPECT_EQ(crossed.refused, "crossed quote: bid above ask");
  auto confirmed = guard.check(quote(100301, std::nullopt, 3));
  ASSERT_EQ(confirmed.release.size(), 2u);
  EXPECT_EQ(confirmed.release[0].sequence, 1);
}

TEST(PriceGuard, WithoutHoldWhenStaleAGapChangesNothing) {
  PriceGuard guard = calm_guard(GuardOptions::SpikeMode::hold);
  auto verdict = guard.check(quote(100002, 100004, 1), true);
  EXPECT_EQ(verdict.release.size(), 1u);
  EXPECT_EQ(guard.gap_held(), 0u);
}
