#include "core/app/engine_shards.hpp"

#include <gtest/gtest.h>

#include <mutex>

#include "tests/core/manual_clock.hpp"
#include "tests/core/test_rule.hpp"

using namespace vigil::core;
using vigil::test::buy_position;
using vigil::test::kMondayNoon;
using vigil::test::ManualClock;

namespace {

struct Fixture {
  Instruments instruments;
  ManualClock clock{kMondayNoon};
  vigil::test::TestRule rule;
  std::mutex mutex;
  std::vector<CloseEvent> handed_on;
  std::unique_ptr<EngineShards> shards;

  Fixture() {
    instruments.add("EURUSD", 5);
    instruments.add("GBPUSD", 5);
    shards = std::make_unique<EngineShards>(instruments, rule.list(), 2, clock,
                                            [this](std::vector<CloseEvent>& events, std::vector<RuleUpdate>&) {
                                              std::lock_guard lock(mutex);
                                              handed_on.insert(handed_on.end(), events.begin(), events.end());
                                            });
  }
  std::vector<CloseEvent> events() {
    shards->drain();
    std::lock_guard lock(mutex);
    return handed_on;
  }
};

}  // namespace

TEST(EngineShards, AWatchedPositionClosesOnATickAndTheCloseIsHandedOnAndCounted) {
  Fixture f;
  f.shards->link().watch(buy_position(7, 110100));
  f.shards->post(ParsedTick{0, 110000, 110002, 1, 0});
  EXPECT_TRUE(f.events().empty());
  f.shards->post(ParsedTick{0, 110100, 110102, 2, 1});
  std::vector<CloseEvent> events = f.events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].key, 7u);
  EXPECT_EQ(events[0].reason, "tp_hit");
  Metrics metrics;
  f.shards->export_metrics(metrics);
  EXPECT_EQ(metrics.value("vigil_close_events_total"), 1);
}

TEST(EngineShards, AnUnwatchedPositionNoLongerCloses) {
  Fixture f;
  EngineLink link = f.shards->link();
  link.watch(buy_position(7, 110100));
  link.unwatch(7, 0);
  f.shards->post(ParsedTick{0, 110100, 110102, 1, 0});
  EXPECT_TRUE(f.events().empty());
}

TEST(EngineShards, ValidationAnswersTheRulesRefusalWithoutWatchingTheProbe) {
  Fixture f;
  NewPosition refused = buy_position(7, 110100);
  refused.owner_tp.reset();
  EXPECT_NE(f.shards->link().validate(refused).find("needs owner_tp"), std::string::npos);
  EXPECT_EQ(f.shards->link().validate(buy_position(8, 110100)), "");
  f.shards->post(ParsedTick{0, 110100, 110102, 1, 0});
  EXPECT_TRUE(f.events().empty());
}

TEST(EngineShards, DeadlinesFireOnTheGivenClockWithoutATick) {
  Fixture f;
  f.shards->link().watch(buy_position(7, 110100, std::to_string(kMondayNoon + 60'000)));
  EXPECT_TRUE(f.events().empty());
  f.clock.advance(60'000);
  std::vector<CloseEvent> events = f.events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].reason, "deadline");
}
