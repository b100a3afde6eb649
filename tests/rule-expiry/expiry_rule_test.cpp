// rule-expiry loaded as a real plugin and driven by the real engine.
#include <gtest/gtest.h>

#include "core/engine/engine.hpp"
#include "tests/support/plugin_harness.hpp"

using namespace vigil::core;

namespace {

class Expiry : public ::testing::Test {
 protected:
  vigil::test::PluginHarness harness{"rule-expiry"};
  Component<vigil_rule_vtable> rule = harness.create<vigil_rule_vtable>(VIGIL_KIND_RULE);
  Instruments instruments;
  InstrumentId eurusd = instruments.add("EURUSD", 5);
  Engine engine{instruments, {{"rule-expiry", rule.vtable(), rule.instance()}}};
  std::vector<CloseEvent> events;

  void add(uint64_t key, int64_t opened_at, const std::string& params) {
    NewPosition p;
    p.key = key;
    p.id = "p" + std::to_string(key);
    p.instrument = eurusd;
    p.side = Side::sell;
    p.volume = 100000000;
    p.entry_price = 110000;
    p.opened_at_unix_ms = opened_at;
    p.rules = {{0, params}};
    engine.add(p);
  }
};

}  // namespace

TEST_F(Expiry, ClosesOnTheFirstTickAtOrAfterTheHoldingTime) {
  add(1, 1000, R"({"after":"90s"})");
  engine.on_tick(eurusd, 110000, 110002, 90999, 0, events);
  EXPECT_TRUE(events.empty());
  engine.on_tick(eurusd, 110010, 110012, 91000, 1, events);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].reason, "expired");
  EXPECT_EQ(events[0].price, 110012);  // a SELL closes on the ask
  EXPECT_EQ(events[0].tick_sequence, 1);
}

TEST_F(Expiry, ClosesOnTheClockWithoutATick) {
  add(1, 0, R"({"at":"1970-01-01T00:00:05Z"})");
  engine.advance_time(4999, events);
  EXPECT_TRUE(events.empty());
  engine.advance_time(5000, events);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].time_unix_ms, 5000);
}

TEST_F(Expiry, TakesTheEarlierOfDeadlineAndHoldingTime) {
  add(1, 1000, R"({"after":"1h","at":2000})");
  engine.advance_time(2000, events);
  EXPECT_EQ(events.size(), 1u);
}

TEST_F(Expiry, RefusesWhatItCannotRead) {
  EXPECT_THROW(add(1, 1000, R"({"after":"soon"})"), PositionRejected);
  EXPECT_THROW(add(2, 0, R"({"after":"1h"})"), PositionRejected);
  EXPECT_THROW(add(3, 1000, R"({"at":"tomorrow"})"), PositionRejected);
  EXPECT_THROW(add(4, 1000, R"({"when":1})"), PositionRejected);
}

// The host probes a new signal's rules with a position opened at the end of
// time (never armed); the holding time must saturate, not wrap around.
TEST_F(Expiry, AHoldingTimeFromTheEndOfTimeSaturates) {
  add(1, INT64_MAX, R"({"after":"1s"})");
  engine.advance_time(INT64_MAX - 1, events);
  EXPECT_TRUE(events.empty());
}
