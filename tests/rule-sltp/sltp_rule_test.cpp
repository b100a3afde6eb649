// docs/breach-semantics.md through the real rule-sltp plugin and the engine:
// both sides, both levels, at, one point short of and one point beyond.
#include <gtest/gtest.h>

#include "core/engine/engine.hpp"
#include "tests/support/plugin_harness.hpp"

using namespace vigil::core;

namespace {

enum class Level { sl, tp };

struct Case {
  const char* name;
  Side side;
  Level level;
  int64_t offset;  // trigger price minus the level, in points
  bool fires;
};

class SlTp : public ::testing::Test {
 protected:
  vigil::test::PluginHarness harness{"rule-sltp"};
  Component<vigil_rule_vtable> rule = harness.create<vigil_rule_vtable>(VIGIL_KIND_RULE);
  Instruments instruments;
  InstrumentId eurusd = instruments.add("EURUSD", 5);
  Engine engine{instruments, {{"rule-sltp", rule.vtable(), rule.instance()}}};
  std::vector<CloseEvent> events;

  PositionHandle add(uint64_t key, Side side, std::optional<int64_t> sl, std::optional<int64_t> tp,
                     int64_t opened_at = 0) {
    NewPosition p;
    p.key = key;
    p.id = "p" + std::to_string(key);
    p.instrument = eurusd;
    p.side = side;
    p.volume = 100000000;
    p.entry_price = 110000;
    p.owner_sl = sl;
    p.owner_tp = tp;
    p.opened_at_unix_ms = opened_at;
    p.rules = {{0, "{}"}};
    return engine.add(p);
  }
  void tick(std::optional<int64_t> bid, std::optional<int64_t> ask, int64_t time = 0) {
    engine.on_tick(eurusd, bid, ask, time, 0, events);
  }
};

class SlTpLevels : public SlTp, public ::testing::WithParamInterface<Case> {};

}  // namespace

// BUY: sl 1.09000 (bid <= sl), tp 1.11000 (bid >= tp).
// SELL: sl 1.11000 (ask >= sl), tp 1.09000 (ask <= tp).
TEST_P(SlTpLevels, FireExactlyWhenTheTriggerSideCrosses) {
  const Case& c = GetParam();
  bool buy = c.side == Side::buy;
  int64_t sl = buy ? 109000 : 111000, tp = buy ? 111000 : 109000;
  add(1, c.side, sl, tp);
  int64_t level = c.level == Level::sl ? sl : tp;
  int64_t trigger = level + c.offset;
  // The other side of the quote sits far away so only the trigger side counts.
  if (buy)
    tick(trigger, trigger + 5000);
  else
    tick(trigger - 5000, trigger);
  if (!c.fires) {
    EXPECT_TRUE(events.empty());
    return;
  }
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].reason, c.level == Level::sl ? "sl_hit" : "tp_hit");
  EXPECT_EQ(events[0].price, trigger);
  EXPECT_EQ(events[0].level, level);
}

INSTANTIATE_TEST_SUITE_P(Contract, SlTpLevels,
                         ::testing::Values(Case{"BuyStopAtLevel", Side::buy, Level::sl, 0, true},
                                           Case{"BuyStopOnePointAbove", Side::buy, Level::sl, 1, false},
                                           Case{"BuyStopOnePointBelow", Side::buy, Level::sl, -1, true},
                                           Case{"BuyTargetAtLevel", Side::buy, Level::tp, 0, true},
                                           Case{"BuyTargetOnePointBelow", Side::buy, Level::tp, -1, false},
                                           Case{"BuyTargetOnePointAbove", Side::buy, Level::tp, 1, true},
                                           Case{"SellStopAtLevel", Side::sell, Level::sl, 0, true},
                                           Case{"SellStopOnePointBelow", Side::sell, Level::sl, -1, false},
                                           Case{"SellStopOnePointAbove", Side::sell, Level::sl, 1, true},
                                           Case{"SellTargetAtLevel", Side::sell, Level::tp, 0, true},
                                           Case{"SellTargetOnePointAbove", Side::sell, Level::tp, 1, false},
                                           Case{"SellTargetOnePointBelow", Side::sell, Level::tp, -1, true}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST_F(SlTp, ABuyIgnoresTheAskAndASellIgnoresTheBid) {
  add(1, Side::buy, 109000, std::nullopt);
  add(2, Side::sell, 111000, std::nullopt);
  tick(110000, 110002);
  tick(std::nullopt, 108000);  // only the ask moves, below the BUY's stop
  tick(112000, std::nullopt);  // only the bid moves, above the SELL's stop
  EXPECT_TRUE(events.empty());
}

TEST_F(SlTp, KeepsTheOtherSideOfAOneSidedTick) {
  tick(110000, 111500);                      // the ask is already beyond the SELL's stop
  add(1, Side::sell, 111000, std::nullopt);  // evaluated from the next tick on
  EXPECT_TRUE(events.empty());
  tick(110001, std::nullopt);  // a bid-only tick: the kept ask 1.11500 crosses
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].price, 111500);
}

TEST_F(SlTp, ProducesOneEventAndNothingAfter) {
  add(1, Side::buy, 109000, 111000);
  tick(108000, 108002);
  tick(112000, 112002);
  tick(108000, 108002);
  EXPECT_EQ(events.size(), 1u);
  EXPECT_EQ(engine.open_positions(), 0u);
}

TEST_F(SlTp, WatchesOnlyFromOpenedAt) {
  add(1, Side::buy, 109000, std::nullopt, 1000);
  tick(108000, 108002, 999);
  EXPECT_TRUE(events.empty());
  tick(108000, 108002, 1000);
  EXPECT_EQ(events.size(), 1u);
}

TEST_F(SlTp, OrdersOneTicksEventsByPositionKey) {
  add(7, Side::buy, 109000, std::nullopt);
  add(3, Side::buy, 109500, std::nullopt);
  add(5, Side::buy, std::nullopt, 120000);  // not reached
  tick(108000, 108002);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].key, 3u);
  EXPECT_EQ(events[1].key, 7u);
}

TEST_F(SlTp, RejectsLevelsOnTheWrongSidesNamingThePosition) {
  try {
    add(1, Side::buy, 111000, 109000);
    FAIL();
  } catch (const PositionRejected& e) {
    EXPECT_STREQ(e.what(),
                 "position p1: rule rule-sltp: owner_sl 1.11000 must be below owner_tp 1.09000 for a BUY position");
  }
  EXPECT_THROW(add(2, Side::sell, 109000, 111000), PositionRejected);
  EXPECT_THROW(add(3, Side::buy, 110000, 110000), PositionRejected);
  EXPECT_EQ(engine.open_positions(), 0u);
}

TEST_F(SlTp, ForgetsARemovedPositionAndRefusesAStaleHandle) {
  auto handle = add(1, Side::buy, 109000, std::nullopt);
  EXPECT_TRUE(engine.remove(handle));
  EXPECT_FALSE(engine.remove(handle));
  tick(108000, 108002);
  EXPECT_TRUE(events.empty());
  auto reused = add(2, Side::buy, 109000, std::nullopt);  // may reuse the slot
  EXPECT_FALSE(engine.remove(handle));
  EXPECT_TRUE(engine.remove(reused));
}
