#include "core/app/instrument_gate.hpp"

#include <gtest/gtest.h>

using namespace vigil::core;

namespace {

ParsedTick quote(int64_t bid, int64_t ask) {
  return ParsedTick{0, bid, ask, 1, -1};
}

const Staleness kNeverStale(0, 0);

}  // namespace

TEST(InstrumentGate, WithoutSourcesAnyFeedsTickGoesToTheEngineAndSetsTheMarketPrice) {
  InstrumentGate gate{GuardOptions{}};
  InstrumentGate::Admission a = gate.admit("any", quote(110000, 110002), 5000, kNeverStale);
  EXPECT_FALSE(a.standby);
  ASSERT_EQ(a.verdict.release.size(), 1u);
  EXPECT_EQ(gate.market_price(Side::buy), 110000);
  EXPECT_EQ(gate.market_price(Side::sell), 110002);
  EXPECT_EQ(gate.last_tick_ms(), 5000);
  EXPECT_FALSE(gate.lists_sources());
}

TEST(InstrumentGate, AStandbySourcesTickIsNeitherGuardedNorRecordedAsTheLastTick) {
  InstrumentGate gate{GuardOptions{}};
  gate.set_sources({"primary", "backup"}, 5000);
  gate.admit("primary", quote(110000, 110002), 1000, kNeverStale);
  InstrumentGate::Admission a = gate.admit("backup", quote(120000, 120002), 2000, kNeverStale);
  EXPECT_TRUE(a.standby);
  EXPECT_TRUE(a.verdict.release.empty());
  EXPECT_EQ(gate.market_price(Side::buy), 110000);
  EXPECT_EQ(gate.last_tick_ms(), 1000);
  EXPECT_EQ(gate.active_source(), "primary");
}

TEST(InstrumentGate, ReportsTheSwitchWhenTheBackupTakesOver) {
  InstrumentGate gate{GuardOptions{}};
  gate.set_sources({"primary", "backup"}, 5000);
  gate.admit("primary", quote(110000, 110002), 1000, kNeverStale);
  InstrumentGate::Admission a = gate.admit("backup", quote(110001, 110003), 6001, kNeverStale);
  EXPECT_FALSE(a.standby);
  EXPECT_EQ(a.switched_from, "primary");
  EXPECT_EQ(a.switched_to, "backup");
}

TEST(InstrumentGate, HoldsTheFirstTickAfterAStaleGapUntilTheNextConfirmsIt) {
  InstrumentGate gate{GuardOptions{}};
  gate.set_staleness(TradingHours(), true);
  Staleness staleness(30'000, 0);
  gate.admit("feed", quote(110000, 110002), 1000, staleness);
  InstrumentGate::Admission held = gate.admit("feed", quote(110010, 110012), 31'001, staleness);
  EXPECT_TRUE(held.verdict.held);
  EXPECT_TRUE(held.verdict.release.empty());
  InstrumentGate::Admission confirmed = gate.admit("feed", quote(110011, 110013), 31'002, staleness);
  EXPECT_EQ(confirmed.verdict.release.size(), 2u);
  InstrumentGate::GapCounts gaps = gate.gap_counts();
  EXPECT_EQ(gaps.held, 1u);
  EXPECT_EQ(gaps.released, 1u);
  EXPECT_EQ(gaps.dropped, 0u);
}

TEST(InstrumentGate, IsStaleOnlyWhenSilentWithinItsTradingHours) {
  InstrumentGate gate{GuardOptions{}};
  Staleness staleness(30'000, 0);
  gate.admit("feed", quote(110000, 110002), 1000, staleness);
  EXPECT_FALSE(gate.stale(staleness, 31'000));
  EXPECT_TRUE(gate.stale(staleness, 31'001));
}
