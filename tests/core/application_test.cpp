#include "core/app/application.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/support/version.hpp"
#include "tests/core/manual_clock.hpp"
#include "tests/core/test_rule.hpp"
#include "vigil/cpp/error.hpp"

using namespace vigil::core;
using vigil::test::buy_position;
using vigil::test::kMondayNoon;
using vigil::test::ManualClock;

namespace {

constexpr const char* kToken = "admin-token-0123456789";

struct Answer {
  vigil_status status = VIGIL_INTERNAL;
  std::string code, body;
};

// An application with one instrument, EURUSD, on the manual clock, with the
// test rule and no store.
struct Fixture {
  ManualClock clock{kMondayNoon};
  Metrics metrics;
  vigil::test::TestRule rule;
  std::unique_ptr<Application> app;

  explicit Fixture(GuardOptions guards = {}) {
    Instruments instruments;
    instruments.add("EURUSD", 5);
    app = std::make_unique<Application>(std::move(instruments), rule.list(), 2, metrics, guards, clock);
  }
  vigil_status publish(const vigil_app* port, const char* bid, const char* ask = "") {
    vigil_tick tick{sizeof(vigil_tick), vigil::sdk::str("EURUSD"), vigil::sdk::str(bid), vigil::sdk::str(ask), 1, -1};
    char message[256] = {};
    vigil_error error{sizeof error, message, sizeof message};
    return port->publish_tick(port->ctx, &tick, &error);
  }
  Answer call(const std::string& operation, const std::string& params = "{}", const std::string& body = "") {
    Answer out;
    vigil::sdk::StringSink sink(out.body);
    vigil_app_request request{
        sizeof request, vigil::sdk::str(operation), {}, vigil::sdk::str(params), vigil::sdk::str(body)};
    vigil_app_reply reply{sizeof reply, VIGIL_OK, ""};
    const vigil_app* table = app->transport_port();
    out.status = table->call(table->ctx, &request, sink.get(), &reply);
    out.code = reply.error_code;
    return out;
  }
  Answer admin(const std::string& operation, const std::string& body = "") {
    return call(operation, std::string(R"({"bearer":")") + kToken + "\"}", body);
  }
  std::string metrics_text() { return call("system.metrics").body; }
  std::optional<int64_t> bid() { return app->engine_link().market_price(0, Side::buy); }
};

std::string error_message(const Answer& answer) {
  return nlohmann::json::parse(answer.body)["error"]["message"];
}

}  // namespace

TEST(Application, TicksThroughAFeedPortReachTheEngineAndClosePositions) {
  Fixture f;
  f.app->engine_link().watch(buy_position(1, 110100));
  const vigil_app* feed = f.app->feed_port("feeds[0] (feed-test)");
  EXPECT_EQ(f.publish(feed, "1.10000", "1.10002"), VIGIL_OK);
  f.app->drain();
  EXPECT_NE(f.metrics_text().find("vigil_close_events_total 0"), std::string::npos);
  EXPECT_EQ(f.publish(feed, "1.10100", "1.10102"), VIGIL_OK);
  f.app->drain();
  EXPECT_NE(f.metrics_text().find("vigil_close_events_total 1"), std::string::npos);
}

TEST(Application, SwitchesToTheBackupSourceOnlyAfterThePrimaryIsSilentForFailoverAfterMs) {
  Fixture f;
  f.app->set_sources(0, {"lp", "backup"}, 5000);
  const vigil_app* lp = f.app->feed_port("feeds[0]", "lp");
  const vigil_app* backup = f.app->feed_port("feeds[1]", "backup");
  f.publish(lp, "1.10000", "1.10002");
  f.clock.advance(5000);
  f.publish(backup, "1.20000", "1.20002");
  EXPECT_EQ(f.bid(), 110000);  // the primary quoted 5 s ago: still the source
  f.clock.advance(1);
  f.publish(backup, "1.20000", "1.20002");
  EXPECT_EQ(f.bid(), 120000);
  nlohmann::json health = nlohmann::json::parse(f.call("system.health").body);
  EXPECT_EQ(health["active_sources"]["EURUSD"], "backup");
  EXPECT_NE(f.metrics_text().find("vigil_ticks_standby_total 1"), std::string::npos);
}

TEST(Application, StalenessWithinTradingHoursTurnsHealthDegradedUntilATickComes) {
  GuardOptions guards;
  guards.stale_after_ms = 30'000;
  Fixture f(guards);
  f.app->set_staleness(0, TradingHours({"Mon-Fri 00:00-24:00"}), false);
  const vigil_app* feed = f.app->feed_port("feeds[0]");
  EXPECT_EQ(f.call("system.health").status, VIGIL_OK);
  f.clock.advance(30'001);
  Answer degraded = f.call("system.health");
  EXPECT_EQ(degraded.status, VIGIL_UNAVAILABLE);
  EXPECT_EQ(degraded.code, "degraded");
  EXPECT_EQ(nlohmann::json::parse(degraded.body)["stale_instruments"], nlohmann::json::array({"EURUSD"}));
  f.publish(feed, "1.10000", "1.10002");
  EXPECT_EQ(f.call("system.health").status, VIGIL_OK);
}

TEST(Application, SilenceOutsideTradingHoursLeavesHealthOk) {
  GuardOptions guards;
  guards.stale_after_ms = 30'000;
  Fixture f(guards);
  f.app->set_staleness(0, TradingHours({"Mon-Fri 00:00-24:00"}), false);
  f.clock.advance(5 * 24 * 3'600'000LL);  // Saturday noon
  EXPECT_EQ(f.call("system.health").status, VIGIL_OK);
}

TEST(Application, CountsTicksThePriceGuardsRefuseAndTicksThatAreMalformed) {
  Fixture f;
  const vigil_app* feed = f.app->feed_port("feeds[0]");
  EXPECT_EQ(f.publish(feed, "1.10005", "1.10000"), VIGIL_OK);  // crossed
  EXPECT_EQ(f.publish(feed, "1.1x"), VIGIL_INVALID_ARGUMENT);
  std::string text = f.metrics_text();
  EXPECT_NE(text.find("vigil_ticks_guarded_total 1"), std::string::npos) << text;
  EXPECT_NE(text.find("vigil_ticks_rejected_total 1"), std::string::npos) << text;
  EXPECT_EQ(f.bid(), std::nullopt);
}

TEST(Application, TheAdminApiIsClosedWithoutAToken) {
  Fixture f;
  EXPECT_FALSE(f.app->admin_api_open());
  Answer answer = f.admin("admin.health");
  EXPECT_EQ(answer.status, VIGIL_UNAUTHENTICATED);
  EXPECT_EQ(answer.code, "admin_api_closed");
}

TEST(Application, RefusesAWrongAdminTokenAndServesTheRightOne) {
  Fixture f;
  f.app->set_admin_token(kToken);
  Answer wrong = f.call("admin.health", R"({"bearer":"admin-token-0123456788"})");
  EXPECT_EQ(wrong.status, VIGIL_UNAUTHENTICATED);
  EXPECT_EQ(wrong.code, "unauthenticated");
  EXPECT_EQ(error_message(wrong), "The bearer token is not valid.");
  EXPECT_EQ(f.admin("admin.health").status, VIGIL_OK);
}

TEST(Application, PushTickErrorsNameTheField) {
  Fixture f;
  f.app->set_admin_token(kToken);
  Answer missing = f.admin("admin.push_tick", R"({"bid":"1.1"})");
  EXPECT_EQ(missing.status, VIGIL_INVALID_ARGUMENT);
  EXPECT_EQ(missing.code, "invalid_argument");
  EXPECT_EQ(error_message(missing), "field 'instrument': missing");
  Answer digits = f.admin("admin.push_tick", R"({"instrument":"EURUSD","bid":"1.100001"})");
  EXPECT_EQ(digits.status, VIGIL_INVALID_ARGUMENT);
  EXPECT_EQ(error_message(digits).rfind("field 'bid': ", 0), 0u) << digits.body;
  Answer unknown = f.admin("admin.push_tick", R"({"instrument":"XAUUSD","bid":"1"})");
  EXPECT_EQ(error_message(unknown).rfind("field 'instrument': ", 0), 0u) << unknown.body;
}

TEST(Application, APushedTickGoesThroughTheSameGuardsToTheEngine) {
  Fixture f;
  f.app->set_admin_token(kToken);
  Answer answer = f.admin("admin.push_tick", R"({"instrument":"EURUSD","bid":"1.10010","ask":"1.10012"})");
  EXPECT_EQ(answer.status, VIGIL_OK);
  EXPECT_EQ(answer.body, R"({"accepted":true})");
  EXPECT_EQ(f.bid(), 110010);
}

TEST(Application, HealthSaysWhatItWatchesAndTheAdminViewIsAlwaysOk) {
  GuardOptions guards;
  guards.stale_after_ms = 30'000;
  Fixture f(guards);
  f.app->set_admin_token(kToken);
  f.app->set_feed_status_source([] {
    return std::vector<FeedStatus>{{"feeds[0]", true, true, kMondayNoon, 5, 1, ""}};
  });
  nlohmann::json health = nlohmann::json::parse(f.call("system.health").body);
  EXPECT_EQ(health["status"], "ok");
  EXPECT_EQ(health["instruments"], 1);
  EXPECT_EQ(health["stale_instruments"], nlohmann::json::array());
  EXPECT_EQ(health["feeds"][0]["name"], "feeds[0]");
  EXPECT_EQ(health["feeds"][0]["last_tick_unix_ms"], kMondayNoon);
  EXPECT_EQ(health["feeds"][0]["rows_skipped"], 1);
  f.clock.advance(30'001);
  Answer detail = f.admin("admin.health");
  EXPECT_EQ(detail.status, VIGIL_OK);
  EXPECT_EQ(nlohmann::json::parse(detail.body)["status"], "degraded");
}

TEST(Application, MetricsTextCarriesTheTickAndCloseCounters) {
  Fixture f;
  f.publish(f.app->feed_port("feeds[0]"), "1.10000", "1.10002");
  f.clock.advance(2500);
  std::string text = f.metrics_text();
  for (const char* line :
       {"vigil_ticks_accepted_total 1", "vigil_ticks_rejected_total 0", "vigil_ticks_guarded_total 0",
        "vigil_ticks_standby_total 0", "vigil_close_events_total 0", "vigil_ticks_stale_held_total 0",
        "vigil_ticks_stale_released_total 0", "vigil_ticks_stale_dropped_total 0",
        "vigil_instrument_tick_age_seconds{instrument=\"EURUSD\"} 2.5"})
    EXPECT_NE(text.find(line), std::string::npos) << line << " in\n" << text;
}

TEST(Application, WithoutAStoreWorkflowCallsAreUnavailableAndUnknownOnesUnsupported) {
  Fixture f;
  Answer poll = f.call("client.poll");
  EXPECT_EQ(poll.status, VIGIL_UNAVAILABLE);
  EXPECT_EQ(poll.code, "no_store");
  Answer unknown = f.call("system.reboot");
  EXPECT_EQ(unknown.status, VIGIL_UNSUPPORTED);
  EXPECT_EQ(unknown.code, "unsupported_operation");
}

TEST(Application, ItsMetricsSayWhichBuildAnswers) {
  Fixture f;
  std::string sample = std::string("vigil_build_info{version=\"") + kVersion + "\",abi=\"" + kAbiVersion + "\"} 1\n";
  EXPECT_NE(f.metrics_text().find(sample), std::string::npos) << f.metrics_text();
  EXPECT_EQ(kAbiVersion, std::to_string(VIGIL_ABI_MAJOR) + "." + std::to_string(VIGIL_ABI_MINOR));
}
