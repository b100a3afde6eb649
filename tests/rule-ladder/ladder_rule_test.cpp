// rule-ladder loaded as a real plugin and driven by the real engine.
#include <gtest/gtest.h>

#include "core/engine/engine.hpp"
#include "tests/support/plugin_harness.hpp"

using namespace vigil::core;

namespace {

const char* kSteps =
    R"({"steps":[{"price":"1.10100","fraction":0.5},{"price":"1.10200","fraction":0.3},{"price":"1.10300"}]})";

class Ladder : public ::testing::Test {
 protected:
  vigil::test::PluginHarness harness{"rule-ladder"};
  Component<vigil_rule_vtable> rule = harness.create<vigil_rule_vtable>(VIGIL_KIND_RULE);
  Instruments instruments;
  InstrumentId eurusd = instruments.add("EURUSD", 5);
  Engine engine{instruments, {{"rule-ladder", rule.vtable(), rule.instance()}}};
  std::vector<CloseEvent> events;

  NewPosition position(Side side, const std::string& params) const {
    NewPosition p;
    p.key = 1;
    p.id = "p1";
    p.instrument = eurusd;
    p.side = side;
    p.volume = 100000000;  // 1 lot
    p.entry_price = 110000;
    p.rules = {{0, params}};
    return p;
  }
  PositionHandle add(Side side, const std::string& params) { return engine.add(position(side, params)); }
  void tick(int64_t bid) { engine.on_tick(eurusd, bid, bid + 2, 0, 0, events); }
};

}  // namespace

TEST_F(Ladder, TakesEachStepsFractionThenTheRest) {
  add(Side::buy, kSteps);
  tick(110100);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].reason, "tp_partial");
  EXPECT_EQ(events[0].volume, 50000000);
  tick(110200);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].volume, 30000000);
  EXPECT_EQ(engine.open_positions(), 1u);
  tick(110300);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].reason, "tp_hit");
  EXPECT_EQ(events[2].volume, 0);  // the rest
  EXPECT_EQ(engine.open_positions(), 0u);
}

TEST_F(Ladder, AGapAcrossSeveralStepsTakesThemAllOnOneTick) {
  add(Side::buy, kSteps);
  tick(110500);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].level, 110100);
  EXPECT_EQ(events[2].level, 110300);
  EXPECT_EQ(events[2].price, 110500);
}

TEST_F(Ladder, MirrorsForASellOnTheAsk) {
  add(Side::sell, R"({"steps":[{"price":"1.09900","fraction":0.25},{"price":"1.09800"}]})");
  tick(109898);  // ask 1.09900
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].volume, 25000000);
}

TEST_F(Ladder, RefusesStepsThatDoNotMoveInFavour) {
  EXPECT_THROW(add(Side::buy, R"({"steps":[{"price":"1.09000","fraction":0.5},{"price":"1.12000"}]})"),
               PositionRejected);
  EXPECT_THROW(add(Side::buy, R"({"steps":[{"price":"1.11000","fraction":0.6},{"price":"1.12000","fraction":0.4}]})"),
               PositionRejected);
  EXPECT_THROW(add(Side::buy, R"({"steps":[{"price":"1.11000","fraction":1.5},{"price":"1.12000"}]})"),
               PositionRejected);
}

TEST_F(Ladder, ARestartResumesAtTheNextStepWithFractionsOfTheOriginalVolume) {
  engine.keep_rule_updates(true);
  add(Side::buy, kSteps);
  tick(110100);  // step 1: 0.5 lot
  ASSERT_EQ(events.size(), 1u);
  std::vector<RuleUpdate> updates;
  engine.take_rule_updates(updates);
  ASSERT_EQ(updates.size(), 1u);
  ASSERT_FALSE(updates[0].state.empty());

  events.clear();
  Engine restarted{instruments, {{"rule-ladder", rule.vtable(), rule.instance()}}};
  NewPosition p = position(Side::buy, kSteps);
  p.volume = 50000000;  // what is left open at the broker
  p.rule_states = {updates[0].state};
  restarted.add(p);
  restarted.on_tick(eurusd, 110150, 110152, 0, 0, events);
  EXPECT_TRUE(events.empty()) << "step 1 is not taken twice";
  restarted.on_tick(eurusd, 110200, 110202, 0, 1, events);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].reason, "tp_partial");
  EXPECT_EQ(events[0].volume, 30000000) << "0.3 of the original 1 lot, not of the 0.5 left";
}

TEST_F(Ladder, RefusesASavedStepPastTheLadder) {
  NewPosition p = position(Side::buy, kSteps);
  p.rule_states = {"100000000:7"};
  EXPECT_THROW(engine.add(p), PositionRejected);
}
