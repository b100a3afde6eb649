// feed-synthetic loaded as a real plugin, publishing into a recording host.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/support/plugin_harness.hpp"
#include "vigil/cpp/decimal.hpp"

using vigil::test::PluginHarness;
using vigil::test::RecordingApp;

namespace {

const char* kTwoInstruments = R"({"seed":7,"ticks_per_second":0,"max_ticks":500,"instruments":[
  {"symbol":"EURUSD","digits":5,"start":"1.10000","volatility_points":20,"spread_points":3,"gap_probability":0.05,"gap_points":200},
  {"symbol":"XAUUSD","digits":3,"start":"1290.000","volatility_points":300,"spread_points":250}]})";

std::vector<vigil::test::ReceivedTick> run_feed(const char* options) {
  RecordingApp app;
  PluginHarness harness("feed-synthetic", app.table());
  auto feed = harness.create<vigil_feed_vtable>(VIGIL_KIND_FEED, options);
  vigil::core::ErrorBuffer error;
  error.check(feed.vtable()->run(feed.instance(), error.get()), "feed");
  return app.ticks();
}

std::string create_error(const char* options) {
  RecordingApp app;
  PluginHarness harness("feed-synthetic", app.table());
  try {
    harness.create<vigil_feed_vtable>(VIGIL_KIND_FEED, options);
  } catch (const vigil::core::ComponentError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(FeedSynthetic, PublishesMaxTicksPerInstrumentWithTheConfiguredSpread) {
  auto ticks = run_feed(kTwoInstruments);
  ASSERT_EQ(ticks.size(), 1000u);
  for (const auto& t : ticks) {
    int digits = t.instrument == "EURUSD" ? 5 : 3;
    int64_t bid = vigil::sdk::parse_decimal(t.bid, digits).value, ask = vigil::sdk::parse_decimal(t.ask, digits).value;
    ASSERT_GT(bid, 0);
    ASSERT_EQ(ask - bid, t.instrument == "EURUSD" ? 3 : 250) << t.bid << " " << t.ask;
  }
}

TEST(FeedSynthetic, IsDeterministicForASeed) {
  auto first = run_feed(kTwoInstruments), second = run_feed(kTwoInstruments);
  ASSERT_EQ(first.size(), second.size());
  for (size_t i = 0; i < first.size(); ++i) ASSERT_EQ(first[i].bid, second[i].bid);
}

TEST(FeedSynthetic, StopsPromptlyWhenAskedDuringAPacedRun) {
  RecordingApp app;
  PluginHarness harness("feed-synthetic", app.table());
  auto feed = harness.create<vigil_feed_vtable>(
      VIGIL_KIND_FEED, R"({"ticks_per_second":1,"instruments":[{"symbol":"EURUSD","start":"1.1"}]})");
  vigil_status status = -1;
  std::thread runner([&] {
    vigil::core::ErrorBuffer error;
    status = feed.vtable()->run(feed.instance(), error.get());
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto asked = std::chrono::steady_clock::now();
  feed.vtable()->stop(feed.instance());
  runner.join();
  EXPECT_LT(std::chrono::steady_clock::now() - asked, std::chrono::milliseconds(500));
  EXPECT_EQ(status, VIGIL_OK);
  EXPECT_EQ(app.ticks().size(), 1u);
}

TEST(FeedSynthetic, StopsWithAnErrorWhenTheHostRefusesItsInstrument) {
  RecordingApp app;
  app.answer = [](const vigil::test::ReceivedTick&, std::string& why) {
    why = "field 'instrument': unknown instrument 'EURUSD'";
    return VIGIL_INVALID_ARGUMENT;
  };
  PluginHarness harness("feed-synthetic", app.table());
  auto feed = harness.create<vigil_feed_vtable>(VIGIL_KIND_FEED,
                                                R"({"max_ticks":3,"instruments":[{"symbol":"EURUSD","start":"1.1"}]})");
  vigil::core::ErrorBuffer error;
  EXPECT_EQ(feed.vtable()->run(feed.instance(), error.get()), VIGIL_INVALID_ARGUMENT);
  EXPECT_NE(std::string(error.text).find("unknown instrument 'EURUSD'"), std::string::npos) << error.text;
}

TEST(FeedSynthetic, NamesTheOptionThatIsWrong) {
  EXPECT_NE(create_error(R"({"instruments":[]})").find("option instruments:"), std::string::npos);
  EXPECT_NE(create_error(R"({"instruments":[{"symbol":"EURUSD"}]})").find("instruments[0].start"), std::string::npos);
  EXPECT_NE(create_error(R"({"speed":1,"instruments":[{"symbol":"E","start":"1"}]})").find("option speed: unknown"),
            std::string::npos);
  EXPECT_NE(create_error(R"({"instruments":[{"symbol":"E","start":"1.123456","digits":5}]})").find("start"),
            std::string::npos);
}
