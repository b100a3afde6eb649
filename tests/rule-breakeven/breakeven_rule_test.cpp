// rule-breakeven loaded as a real plugin, alone and beside rule-sltp.
#include <gtest/gtest.h>

#include "core/engine/engine.hpp"
#include "tests/support/plugin_harness.hpp"

using namespace vigil::core;

namespace {

class Breakeven : public ::testing::Test {
 protected:
  vigil::test::PluginHarness breakeven_plugin{"rule-breakeven"};
  vigil::test::PluginHarness sltp_plugin{"rule-sltp"};
  Component<vigil_rule_vtable> breakeven = breakeven_plugin.create<vigil_rule_vtable>(VIGIL_KIND_RULE);
  Component<vigil_rule_vtable> sltp = sltp_plugin.create<vigil_rule_vtable>(VIGIL_KIND_RULE);
  Instruments instruments;
  InstrumentId eurusd = instruments.add("EURUSD", 5);
  Engine engine{
      instruments,
      {{"rule-breakeven", breakeven.vtable(), breakeven.instance()}, {"rule-sltp", sltp.vtable(), sltp.instance()}}};
  std::vector<CloseEvent> events;

  NewPosition position(Side side, const std::string& params, std::optional<int64_t> sl = std::nullopt) const {
    NewPosition p;
    p.key = 1;
    p.id = "p1";
    p.instrument = eurusd;
    p.side = side;
    p.volume = 100000000;
    p.entry_price = 110000;
    p.owner_sl = sl;
    p.rules = {{0, params}, {1, "{}"}};
    return p;
  }
  void add(Side side, const std::string& params, std::optional<int64_t> sl = std::nullopt) {
    engine.add(position(side, params, sl));
  }
  void tick(int64_t bid) { engine.on_tick(eurusd, bid, bid + 2, 0, 0, events); }
};

}  // namespace

TEST_F(Breakeven, MovesTheStopToEntryPlusOffsetOnceTriggered) {
  add(Side::buy, R"({"trigger":"0.00100","offset":{"points":10}})");
  tick(109000);  // no stop before the trigger
  EXPECT_TRUE(events.empty());
  tick(110100);  // armed: stop at 1.10010
  tick(110011);
  EXPECT_TRUE(events.empty());
  tick(110010);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].reason, "sl_hit");
  EXPECT_EQ(events[0].level, 110010);
}

TEST_F(Breakeven, WorksOnTheAskForASell) {
  add(Side::sell, R"({"trigger":"0.00100"})");
  tick(109898);  // ask 1.09900: armed, stop at entry
  tick(109997);  // ask 1.09999
  EXPECT_TRUE(events.empty());
  tick(109998);  // ask 1.10000
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].level, 110000);
}

TEST_F(Breakeven, LeavesTheOriginalStopWorkingBeforeActivation) {
  add(Side::buy, R"({"trigger":"0.00100"})", 109500);
  tick(109500);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].level, 109500);
}

TEST_F(Breakeven, RefusesAnOffsetBeyondTheTrigger) {
  EXPECT_THROW(add(Side::buy, R"({"trigger":"0.00100","offset":"0.00200"})"), PositionRejected);
}

TEST_F(Breakeven, KeepsTheMovedStopAcrossARestart) {
  engine.keep_rule_updates(true);
  add(Side::buy, R"({"trigger":"0.00100","offset":{"points":10}})", 109500);
  tick(110100);  // armed: stop at 1.10010
  std::vector<RuleUpdate> updates;
  engine.take_rule_updates(updates);
  ASSERT_EQ(updates.size(), 1u);
  ASSERT_FALSE(updates[0].state.empty());

  Engine restarted{
      instruments,
      {{"rule-breakeven", breakeven.vtable(), breakeven.instance()}, {"rule-sltp", sltp.vtable(), sltp.instance()}}};
  NewPosition p = position(Side::buy, R"({"trigger":"0.00100","offset":{"points":10}})", 109500);
  p.rule_states = {updates[0].state, ""};
  restarted.add(p);
  restarted.on_tick(eurusd, 110010, 110012, 0, 0, events);
  ASSERT_EQ(events.size(), 1u) << "the stop at entry + offset, without reaching the trigger again";
  EXPECT_EQ(events[0].level, 110010);
}
