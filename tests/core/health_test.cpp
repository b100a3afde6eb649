#include "core/app/health.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/support/version.hpp"
#include "tests/core/manual_clock.hpp"

using namespace vigil::core;
using vigil::test::kMondayNoon;
using vigil::test::ManualClock;

namespace {

struct Fixture {
  Instruments instruments;
  ManualClock clock{kMondayNoon};
  std::unique_ptr<FeedIntake> intake;
  std::unique_ptr<Health> health;

  Fixture() {
    instruments.add("EURUSD", 5);
    GuardOptions guards;
    guards.stale_after_ms = 30'000;
    intake = std::make_unique<FeedIntake>(instruments, guards, clock, [](const ParsedTick&) {});
    health = std::make_unique<Health>(instruments, *intake);
  }
};

}  // namespace

TEST(Health, AHostWithNothingWrongIsOkAndSaysWhatItWatches) {
  Fixture f;
  Health::Report report = f.health->report(false);
  EXPECT_TRUE(report.healthy);
  nlohmann::json body = nlohmann::json::parse(report.json);
  EXPECT_EQ(body["status"], "ok");
  EXPECT_EQ(body["version"], kVersion);
  EXPECT_EQ(body["instruments"], 1);
  EXPECT_EQ(body["stale_instruments"], nlohmann::json::array());
  EXPECT_EQ(body["feeds"], nlohmann::json::array());
  EXPECT_FALSE(body.contains("store"));  // no workflow: no store, no alerts
  EXPECT_FALSE(body.contains("alerts"));
  EXPECT_FALSE(body.contains("active_sources"));
}

TEST(Health, AFailedFeedTurnsItDegradedAndIsShownWithItsError) {
  Fixture f;
  f.health->set_feed_status_source([] {
    return std::vector<FeedStatus>{{"feeds[0] (feed-fix)", false, false, 0, 3, 0, "logon refused"}};
  });
  Health::Report report = f.health->report(false);
  EXPECT_FALSE(report.healthy);
  nlohmann::json feed = nlohmann::json::parse(report.json)["feeds"][0];
  EXPECT_EQ(feed["name"], "feeds[0] (feed-fix)");
  EXPECT_EQ(feed["ticks_published"], 3);
  EXPECT_EQ(feed["error"], "logon refused");
  EXPECT_FALSE(feed.contains("last_tick_unix_ms"));
}

TEST(Health, AStaleInstrumentTurnsItDegradedByTheClock) {
  Fixture f;
  f.clock.advance(30'001);
  Health::Report report = f.health->report(false);
  EXPECT_FALSE(report.healthy);
  nlohmann::json body = nlohmann::json::parse(report.json);
  EXPECT_EQ(body["status"], "degraded");
  EXPECT_EQ(body["stale_instruments"], nlohmann::json::array({"EURUSD"}));
}

TEST(Health, ShowsTheActiveSourceOfInstrumentsThatListSourcesNullBeforeTheirFirstTick) {
  Fixture f;
  f.intake->set_sources(0, {"lp", "backup"}, 5000);
  EXPECT_TRUE(nlohmann::json::parse(f.health->report(false).json)["active_sources"]["EURUSD"].is_null());
}

TEST(Health, AFeedWhoseHealthReportsAnErrorTurnsItDegradedUntilTheErrorGoes) {
  Fixture f;
  std::string error = "health() threw: quote session lost";
  f.health->set_feed_status_source([&error] {
    return std::vector<FeedStatus>{{"feeds[0] (feed-fix)", true, false, 0, 3, 0, "", error}};
  });
  Metrics metrics;
  Health::Report report = f.health->report(false);
  f.health->export_metrics(metrics);
  EXPECT_FALSE(report.healthy);
  nlohmann::json feed = nlohmann::json::parse(report.json)["feeds"][0];
  EXPECT_EQ(feed["health_error"], "health() threw: quote session lost");
  EXPECT_FALSE(feed.contains("error"));
  EXPECT_NE(metrics.render().find("vigil_feed_failing{feed=\"feeds[0] (feed-fix)\"} 1"), std::string::npos);

  error.clear();
  report = f.health->report(false);
  f.health->export_metrics(metrics);
  EXPECT_TRUE(report.healthy);
  EXPECT_FALSE(nlohmann::json::parse(report.json)["feeds"][0].contains("health_error"));
  EXPECT_NE(metrics.render().find("vigil_feed_failing{feed=\"feeds[0] (feed-fix)\"} 0"), std::string::npos);
}
