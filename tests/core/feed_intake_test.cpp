#include "core/app/feed_intake.hpp"

#include <gtest/gtest.h>

#include "tests/core/manual_clock.hpp"
#include "vigil/cpp/error.hpp"

using namespace vigil::core;
using vigil::test::kMondayNoon;
using vigil::test::ManualClock;

namespace {

struct Fixture {
  Instruments instruments;
  ManualClock clock{kMondayNoon};
  std::vector<ParsedTick> to_engine;
  std::unique_ptr<FeedIntake> intake;

  explicit Fixture(GuardOptions guards = {}) {
    instruments.add("EURUSD", 5);
    intake = std::make_unique<FeedIntake>(instruments, guards, clock,
                                          [this](const ParsedTick& t) { to_engine.push_back(t); });
  }
  vigil_status publish(const vigil_app* port, const char* bid, const char* ask, std::string* why = nullptr) {
    vigil_tick tick{sizeof(vigil_tick), vigil::sdk::str("EURUSD"), vigil::sdk::str(bid), vigil::sdk::str(ask), 1, -1};
    char message[256] = {};
    vigil_error error{sizeof error, message, sizeof message};
    vigil_status status = port->publish_tick(port->ctx, &tick, &error);
    if (why) *why = message;
    return status;
  }
  double metric(const char* name) {
    Metrics metrics;
    intake->export_metrics(metrics);
    return metrics.value(name);
  }
};

}  // namespace

TEST(FeedIntake, AFeedsTickReachesTheEngineParsedAndIsCounted) {
  Fixture f;
  EXPECT_EQ(f.publish(f.intake->port("feed-a", ""), "1.10000", "1.10002"), VIGIL_OK);
  ASSERT_EQ(f.to_engine.size(), 1u);
  EXPECT_EQ(f.to_engine[0].bid, 110000);
  EXPECT_EQ(f.metric("vigil_ticks_accepted_total"), 1);
  EXPECT_EQ(f.intake->market_price(0, Side::buy), 110000);
}

TEST(FeedIntake, AMalformedTickIsRefusedNamingTheFieldAndCounted) {
  Fixture f;
  std::string why;
  EXPECT_EQ(f.publish(f.intake->port("feed-a", ""), "1.100001", "", &why), VIGIL_INVALID_ARGUMENT);
  EXPECT_NE(why.find("field 'bid'"), std::string::npos) << why;
  EXPECT_TRUE(f.to_engine.empty());
  EXPECT_EQ(f.metric("vigil_ticks_rejected_total"), 1);
}

TEST(FeedIntake, ATickTheGuardRefusesIsAnsweredOkAndCountedAsGuarded) {
  Fixture f;
  EXPECT_EQ(f.publish(f.intake->port("feed-a", ""), "1.10005", "1.10000"), VIGIL_OK);  // crossed
  EXPECT_TRUE(f.to_engine.empty());
  EXPECT_EQ(f.metric("vigil_ticks_guarded_total"), 1);
}

TEST(FeedIntake, AStandbySourceIsCountedAndItsTicksKeptFromTheEngine) {
  Fixture f;
  f.intake->set_sources(0, {"lp", "backup"}, 5000);
  const vigil_app* lp = f.intake->port("feed-a", "lp");
  const vigil_app* backup = f.intake->port("feed-b", "backup");
  f.publish(lp, "1.10000", "1.10002");
  f.publish(backup, "1.20000", "1.20002");
  EXPECT_EQ(f.to_engine.size(), 1u);
  EXPECT_EQ(f.metric("vigil_ticks_standby_total"), 1);
  EXPECT_EQ(f.intake->active_sources().at("EURUSD"), "lp");
}

TEST(FeedIntake, PushedPricesComeFromTheSourceNamedPush) {
  Fixture f;
  f.intake->set_sources(0, {"push"}, 5000);
  vigil_tick tick{sizeof(vigil_tick), vigil::sdk::str("EURUSD"), vigil::sdk::str("1.1"), {}, 1, -1};
  char message[64] = {};
  vigil_error error{sizeof error, message, sizeof message};
  EXPECT_EQ(f.intake->push(tick, &error), VIGIL_OK);
  EXPECT_EQ(f.to_engine.size(), 1u);
  EXPECT_EQ(f.intake->active_sources().at("EURUSD"), "push");
}

TEST(FeedIntake, StalenessAndTickAgesFollowItsClock) {
  GuardOptions guards;
  guards.stale_after_ms = 30'000;
  Fixture f(guards);
  f.publish(f.intake->port("feed-a", ""), "1.10000", "1.10002");
  f.clock.advance(30'001);
  EXPECT_EQ(f.intake->stale_instruments(), std::vector<std::string>{"EURUSD"});
  EXPECT_DOUBLE_EQ(f.metric("vigil_instrument_tick_age_seconds{instrument=\"EURUSD\"}"), 30.001);
}
