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
