// rule-trailing loaded as a real plugin and driven by the real engine.
#include <gtest/gtest.h>

#include "core/engine/engine.hpp"
#include "tests/support/plugin_harness.hpp"

using namespace vigil::core;

namespace {

class TrailingStop : public ::testing::Test {
 protected:
  vigil::test::PluginHarness harness{"rule-trailing"};
  Component<vigil_rule_vtable> rule = harness.create<vigil_rule_vtable>(VIGIL_KIND_RULE, R"({"step":{"points":1}})");
  Instruments instruments;
  InstrumentId eurusd = instruments.add("EURUSD", 5);
  Engine engine{instruments, {{"rule-trailing", rule.vtable(), rule.instance()}}};
  std::vector<CloseEvent> events;

  NewPosition position(uint64_t key, Side side, int64_t entry, const std::string& params) const {
    NewPosition p;
    p.key = key;
    p.id = "p" + std::to_string(key);
    p.instrument = eurusd;
    p.side = side;
    p.volume = 100000000;
    p.entry_price = entry;
    p.rules = {{0, params}};
    return p;
  }
  void add(uint64_t key, Side side, int64_t entry, const std::string& params) {
    engine.add(position(key, side, entry, params));
  }
  // A tick with bid and ask one point apart.
  void tick(int64_t bid) { engine.on_tick(eurusd, bid, bid + 1, 0, static_cast<int64_t>(ticks++), events); }
  size_t ticks = 0;
};

}  // namespace

TEST_F(TrailingStop, FollowsABuyUpAndClosesWhenPriceFallsBackByTheDistance) {
  add(1, Side::buy, 110000, R"({"distance":"0.00050"})");
  tick(110000);
  tick(110100);  // best 1.10100: stop 1.10050
  tick(110200);  // best 1.10200: stop 1.10150
  tick(110160);
  EXPECT_TRUE(events.empty());
  tick(110150);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].reason, "trailing_stop");
  EXPECT_EQ(events[0].level, 110150);
  EXPECT_EQ(events[0].price, 110150);
}

TEST_F(TrailingStop, NeverMovesTheStopBackwards) {
  add(1, Side::buy, 110000, R"({"distance":"0.00050"})");
  tick(110300);  // stop 1.10250
  tick(110260);  // a dip that does not reach the stop
  tick(110280);  // a lower high: the stop stays at 1.10250
  tick(110251);
  EXPECT_TRUE(events.empty());
  tick(110250);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].level, 110250);
}

TEST_F(TrailingStop, MirrorsForASellOnTheAsk) {
  add(1, Side::sell, 110000, R"({"distance":{"points":30}})");
  tick(109800);  // ask 1.09801: stop 1.09831
  tick(109820);  // ask 1.09821
  EXPECT_TRUE(events.empty());
  tick(109830);  // ask 1.09831
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].level, 109831);
}

TEST_F(TrailingStop, StartsTrailingOnlyAfterTheActivationDistance) {
  add(1, Side::buy, 110000, R"({"distance":"0.00020","activation":"0.00100"})");
  tick(109000);  // far below entry, no stop yet
  EXPECT_TRUE(events.empty());
  tick(110100);  // activation: stop 1.10080
  tick(110080);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].level, 110080);
}

TEST_F(TrailingStop, RecordsTheWorsePriceAfterAGap) {
  add(1, Side::buy, 110000, R"({"distance":"0.00050"})");
  tick(110100);
  tick(109000);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].level, 110050);
  EXPECT_EQ(events[0].price, 109000);
}

TEST_F(TrailingStop, LeavesAPositionWithoutADistanceAlone) {
  add(1, Side::buy, 110000, "{}");
  tick(100000);
  EXPECT_TRUE(events.empty());
}

TEST_F(TrailingStop, RejectsParametersItCannotRead) {
  EXPECT_THROW(add(1, Side::buy, 110000, R"({"distance":"0.000001"})"), PositionRejected);
  EXPECT_THROW(add(2, Side::buy, 110000, R"({"distnce":"0.001"})"), PositionRejected);
  EXPECT_THROW(add(3, Side::buy, 110000, R"({"distance":{"points":-1}})"), PositionRejected);
  EXPECT_THROW(add(4, Side::buy, 110000, R"({"distance":true})"), PositionRejected);
}

// The YAML config turns an unquoted 0.00050 into a JSON number; it is read
// as written, exactly like the string.
TEST_F(TrailingStop, ReadsADistanceWrittenAsAJsonNumber) {
  add(1, Side::buy, 110000, R"({"distance":0.0005})");
  tick(110200);
  tick(110150);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].level, 110150);
}

// What vigild does across a restart: the workflow keeps the last state the
// rule saved (a RuleUpdate) and hands it to a fresh engine's attach.
TEST_F(TrailingStop, ResumesFromTheSavedBestPriceAfterARestart) {
  engine.keep_rule_updates(true);
  add(1, Side::buy, 110000, R"({"distance":"0.00050"})");
  tick(110000);
  tick(110200);  // best 1.10200: stop 1.10150
  std::vector<RuleUpdate> updates;
  engine.take_rule_updates(updates);
  ASSERT_FALSE(updates.empty());
  ASSERT_FALSE(updates.back().state.empty());
  EXPECT_EQ(updates.back().state, "110200");
  bool stop_moved = false;
  for (const auto& [id, price] : updates.back().levels) stop_moved |= id == 1 && price == 110150;
  EXPECT_TRUE(stop_moved) << "the update names the moved stop, for the audit";

  Engine restarted{instruments, {{"rule-trailing", rule.vtable(), rule.instance()}}};
  NewPosition p = position(1, Side::buy, 110000, R"({"distance":"0.00050"})");
  p.rule_states = {updates.back().state};
  restarted.add(p);
  restarted.on_tick(eurusd, 110151, 110152, 0, 0, events);
  EXPECT_TRUE(events.empty());
  restarted.on_tick(eurusd, 110150, 110151, 0, 1, events);
  ASSERT_EQ(events.size(), 1u) << "the moved stop, not the original distance from entry (1.09950)";
  EXPECT_EQ(events[0].level, 110150);
}

TEST_F(TrailingStop, RecordsNoUpdatesUnlessAsked) {
  add(1, Side::buy, 110000, R"({"distance":"0.00050"})");
  tick(110200);
  std::vector<RuleUpdate> updates;
  engine.take_rule_updates(updates);
  EXPECT_TRUE(updates.empty());
}
