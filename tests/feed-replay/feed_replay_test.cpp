// feed-replay loaded as a real plugin, publishing into a recording host.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/support/plugin_harness.hpp"
#include "tests/support/temp_dir.hpp"

using vigil::test::PluginHarness;
using vigil::test::RecordingApp;

namespace {

class FeedReplay : public ::testing::Test {
 protected:
  vigil::test::TempDir dir;
  RecordingApp app;
  PluginHarness harness{"feed-replay", app.table()};

  std::string options(const std::string& file, nlohmann::json extra = nlohmann::json::object()) {
    extra["file"] = file;
    return extra.dump();
  }
  // Runs the feed to its end; returns the status and the error text.
  std::pair<vigil_status, std::string> run(const std::string& opts, vigil_feed_health* health = nullptr) {
    auto feed = harness.create<vigil_feed_vtable>(VIGIL_KIND_FEED, opts);
    vigil::core::ErrorBuffer error;
    vigil_status status = feed.vtable()->run(feed.instance(), error.get());
    if (health) feed.vtable()->health(feed.instance(), health);
    return {status, error.text};
  }
  std::string create_error(const std::string& opts) {
    try {
      harness.create<vigil_feed_vtable>(VIGIL_KIND_FEED, opts);
    } catch (const vigil::core::ComponentError& e) {
      return e.what();
    }
    return "";
  }
};

const char* kHeader = "time,instrument,bid,ask\n";

}  // namespace

TEST_F(FeedReplay, PublishesEveryRowWithItsDataRowIndex) {
  std::string file = dir.write("t.csv", std::string(kHeader) +
                                            "2024-01-02T10:00:00.123Z,EURUSD,1.1,1.10010\n"
                                            "1704189601000,GBPUSD,,1.27\n");
  auto [status, error] = run(options(file));
  ASSERT_EQ(status, VIGIL_OK) << error;
  auto ticks = app.ticks();
  ASSERT_EQ(ticks.size(), 2u);
  EXPECT_EQ(ticks[0].time_unix_ms, 1704189600123);
  EXPECT_EQ(ticks[0].bid, "1.1");
  EXPECT_EQ(ticks[1].sequence, 1);
  EXPECT_EQ(ticks[1].bid, "");  // unchanged
}

TEST_F(FeedReplay, FiltersOneInstrumentOfACsvButKeepsRowNumbers) {
  std::string file =
      dir.write("t.csv", std::string(kHeader) + "1,EURUSD,1.1,1.2\n2,GBPUSD,1.3,1.4\n3,EURUSD,1.1,1.2\n");
  run(options(file, {{"instrument", "EURUSD"}}));
  auto ticks = app.ticks();
  ASSERT_EQ(ticks.size(), 2u);
  EXPECT_EQ(ticks[1].sequence, 2);
}

TEST_F(FeedReplay, NamesFileLineAndFieldOfAMalformedRow) {
  std::string file = dir.write("t.csv", std::string(kHeader) + "1,EURUSD,1.1,1.2\n2,EURUSD,-1.1,1.2\n");
  auto [status, error] = run(options(file));
  EXPECT_EQ(status, VIGIL_INVALID_ARGUMENT);
  EXPECT_EQ(error, file + ":3: field 'bid': '-1.1' is not a decimal number");
}

TEST_F(FeedReplay, RefusesAWrongHeaderBeforeRunning) {
  std::string file = dir.write("t.csv", "time,symbol,bid,ask\n");
  EXPECT_NE(create_error(options(file)).find(file + ":1: field 'header'"), std::string::npos);
  EXPECT_NE(create_error(options(dir.path() / "missing.csv")).find("cannot open"), std::string::npos);
  EXPECT_NE(create_error(options(file, {{"format", "mt5"}})).find("option instrument: required"), std::string::npos);
  EXPECT_NE(create_error(options(file, {{"speed", -1}})).find("option speed"), std::string::npos);
}

TEST_F(FeedReplay, SkipsAndCountsBadRowsWhenConfiguredTo) {
  std::string file = dir.write(
      "t.csv", std::string(kHeader) + "1,EURUSD,1.1,1.2\nbad,EURUSD,1.1,1.2\n3,EURUSD,1.1\n4,EURUSD,1.1,1.2\n");
  vigil_feed_health health{};
  health.struct_size = sizeof health;
  auto [status, error] = run(options(file, {{"on_error", "skip"}}), &health);
  EXPECT_EQ(status, VIGIL_OK) << error;
  EXPECT_EQ(app.ticks().size(), 2u);
  EXPECT_EQ(health.rows_skipped, 2u);
  EXPECT_EQ(health.ticks_published, 2u);
}

TEST_F(FeedReplay, PrefixesTheHostsRefusalWithTheRow) {
  app.answer = [](const vigil::test::ReceivedTick&, std::string& why) {
    why = "field 'bid': '1.123456' has more decimals than the 5 digits of EURUSD";
    return VIGIL_INVALID_ARGUMENT;
  };
  std::string file = dir.write("t.csv", std::string(kHeader) + "1,EURUSD,1.123456,1.2\n");
  auto [status, error] = run(options(file));
  EXPECT_EQ(error, file + ":2: field 'bid': '1.123456' has more decimals than the 5 digits of EURUSD");
}

TEST_F(FeedReplay, CarriesMt5BlankSidesAsUnchangedAndPassesOverEmptyRows) {
  std::string file = dir.write("t.tsv",
                               "<DATE>\t<TIME>\t<BID>\t<ASK>\t<LAST>\t<VOLUME>\t<FLAGS>\n"
                               "2024.01.02\t10:00:00.123\t1.1\t1.2\t\t\t6\n"
                               "2024.01.02\t10:00:01\t\t\t1.15\t1\t8\n"
                               "2024.01.02\t10:00:02.5\t\t1.3\n");
  auto [status, error] = run(options(file, {{"format", "mt5"}, {"instrument", "EURUSD"}}));
  ASSERT_EQ(status, VIGIL_OK) << error;
  auto ticks = app.ticks();
  ASSERT_EQ(ticks.size(), 2u);
  EXPECT_EQ(ticks[0].time_unix_ms, 1704189600123);
  EXPECT_EQ(ticks[1].sequence, 2);
  EXPECT_EQ(ticks[1].bid, "");
  EXPECT_EQ(ticks[1].ask, "1.3");
  EXPECT_EQ(ticks[1].instrument, "EURUSD");
}

TEST_F(FeedReplay, NamesABadMt5DateOrTime) {
  std::string header = "<DATE>\t<TIME>\t<BID>\t<ASK>\n";
  auto bad_date = run(
      options(dir.write("d.tsv", header + "2024-01-02\t10:00:00\t1\t1\n"), {{"format", "mt5"}, {"instrument", "X"}}));
  EXPECT_NE(bad_date.second.find(":2: field 'date'"), std::string::npos) << bad_date.second;
  auto bad_time = run(
      options(dir.write("t.tsv", header + "2024.01.02\t25:00:00\t1\t1\n"), {{"format", "mt5"}, {"instrument", "X"}}));
  EXPECT_NE(bad_time.second.find(":2: field 'time'"), std::string::npos) << bad_time.second;
}

TEST_F(FeedReplay, PacesTicksAtTheConfiguredSpeed) {
  std::string file =
      dir.write("t.csv", std::string(kHeader) + "0,EURUSD,1.1,1.2\n100,EURUSD,1.1,1.2\n200,EURUSD,1.1,1.2\n");
  auto started = std::chrono::steady_clock::now();
  run(options(file, {{"speed", 1.0}}));
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(190));
  EXPECT_EQ(app.ticks().size(), 3u);
}

TEST_F(FeedReplay, StopsPromptlyDuringAPacedRun) {
  std::string file = dir.write("t.csv", std::string(kHeader) + "0,EURUSD,1.1,1.2\n3600000,EURUSD,1.1,1.2\n");
  auto feed = harness.create<vigil_feed_vtable>(VIGIL_KIND_FEED, options(file, {{"speed", 1.0}}));
  std::thread runner([&] {
    vigil::core::ErrorBuffer error;
    feed.vtable()->run(feed.instance(), error.get());
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto asked = std::chrono::steady_clock::now();
  feed.vtable()->stop(feed.instance());
  runner.join();
  EXPECT_LT(std::chrono::steady_clock::now() - asked, std::chrono::milliseconds(500));
  EXPECT_EQ(app.ticks().size(), 1u);
}

TEST_F(FeedReplay, ReplaysTheRealEurusdDayInBothFormatsAlike) {
  std::string dir_path = VIGIL_DATA_DIR;
  run(options(dir_path + "/eurusd-2014-05-08.csv"));
  auto csv = app.ticks();
  ASSERT_EQ(csv.size(), 87833u);
  RecordingApp mt5_app;
  PluginHarness mt5_harness("feed-replay", mt5_app.table());
  auto feed = mt5_harness.create<vigil_feed_vtable>(
      VIGIL_KIND_FEED, options(dir_path + "/eurusd-2014-05-08.mt5.tsv", {{"format", "mt5"}, {"instrument", "EURUSD"}}));
  vigil::core::ErrorBuffer error;
  ASSERT_EQ(feed.vtable()->run(feed.instance(), error.get()), VIGIL_OK) << error.text;
  auto mt5 = mt5_app.ticks();
  ASSERT_EQ(mt5.size(), csv.size());
  std::string bid, ask;  // carry blank sides forward as the host does
  for (size_t i = 0; i < mt5.size(); ++i) {
    if (!mt5[i].bid.empty()) bid = mt5[i].bid;
    if (!mt5[i].ask.empty()) ask = mt5[i].ask;
    ASSERT_EQ(bid, csv[i].bid) << "row " << i;
    ASSERT_EQ(ask, csv[i].ask) << "row " << i;
    ASSERT_EQ(mt5[i].time_unix_ms, csv[i].time_unix_ms);
  }
}
