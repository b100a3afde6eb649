// vigil feed-check from the outside (docs/cli.md): the configured feeds run
// offline, through the real feed-replay and the feed-sick test plugin
// (tests/feed-failures).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using vigil::test::built_binary;
using vigil::test::run_process;
using vigil::test::TempDir;

namespace {

const char* kTicks =
    "time,instrument,bid,ask\n"
    "2024-01-02T10:00:00.000Z,EURUSD,1.10000,1.10010\n"
    "2024-01-02T10:00:01.000Z,EURUSD,1.10020,\n"
    "2024-01-02T10:00:02.000Z,USDJPY,150.000,150.010\n";

class FeedCheck : public ::testing::Test {
 protected:
  TempDir dir;

  // A config of EURUSD and USDJPY and the given feeds (YAML list items).
  vigil::test::ProcessResult check(const std::string& feeds, std::vector<std::string> extra = {}) {
    std::string config = dir.write("vigil.yaml",
                                   "instruments:\n  - {symbol: EURUSD, digits: 5}\n"
                                   "  - {symbol: USDJPY, digits: 3}\nfeeds:\n" +
                                       feeds);
    std::vector<std::string> argv = {built_binary("vigil"), "feed-check", "--config", config};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_process(argv);
  }
  std::string replay_feed(const std::string& ticks, const std::string& speed = "0") {
    return "  - {plugin: feed-replay, options: {file: " + dir.write("ticks.csv", ticks) + ", speed: " + speed + "}}\n";
  }
  static std::string feed_sick() {
    return (std::filesystem::path(built_binary("vigil")).parent_path().parent_path() / "test-plugins" / "feed-sick.so")
        .string();
  }
};

}  // namespace

TEST_F(FeedCheck, PrintsEachTickAFeedPublishesThenItsHealth) {
  auto result = check(replay_feed(kTicks));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  const char* feed = R"j({"feed":"feeds[0] (feed-replay)",)j";
  EXPECT_EQ(result.out,
            std::string(feed) +
                R"j("instrument":"EURUSD","bid":"1.10000","ask":"1.10010","time":"2024-01-02T10:00:00.000Z"})j" + "\n" +
                feed + R"j("instrument":"EURUSD","bid":"1.10020","ask":null,"time":"2024-01-02T10:00:01.000Z"})j" +
                "\n" + feed +
                R"j("instrument":"USDJPY","bid":"150.000","ask":"150.010","time":"2024-01-02T10:00:02.000Z"})j" + "\n" +
                feed +
                R"j("health":{"connected":false,"ticks_published":3,"rows_skipped":0,"reconnects":0,)j"
                R"j("last_tick_time":"2024-01-02T10:00:02.000Z"}})j"
                "\n");
}

TEST_F(FeedCheck, StopsAfterTheTicksAsked) {
  auto result = check(replay_feed(kTicks), {"--ticks", "2"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("\"bid\":\"1.10020\""), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("USDJPY"), std::string::npos) << result.out;
}

TEST_F(FeedCheck, StopsAFeedStillRunningAfterTheSecondsAsked) {
  // Real time: the second tick would come a minute after the first.
  auto started = std::chrono::steady_clock::now();
  auto result = check(replay_feed("time,instrument,bid,ask\n2024-01-02T10:00:00.000Z,EURUSD,1.10000,1.10010\n"
                                  "2024-01-02T10:01:00.000Z,EURUSD,1.10020,1.10030\n",
                                  "1"),
                      {"--seconds", "1"});
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("\"bid\":\"1.10000\""), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("1.10020"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find(R"("health":{"connected":true,"ticks_published":1)"), std::string::npos) << result.out;
}

TEST_F(FeedCheck, FailsNamingATickVigildWouldRefuse) {
  auto result = check(replay_feed("time,instrument,bid,ask\n2024-01-02T10:00:00.000Z,GBPUSD,1.27000,1.27010\n"));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("vigil feed-check: feeds[0] (feed-replay): tick refused: field 'instrument': unknown "
                            "instrument 'GBPUSD'"),
            std::string::npos)
      << result.err;
}

TEST_F(FeedCheck, FailsWhenAFeedCannotStartAndStillRunsTheOthers) {
  auto result = check("  - {plugin: feed-replay, options: {file: " + (dir.path() / "missing.csv").string() + "}}\n" +
                      replay_feed(kTicks));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("vigil feed-check: not started: feeds[0] (feed-replay): feed-replay: option file: "
                            "cannot open"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.out.find(R"j({"feed":"feeds[1] (feed-replay)","instrument":"USDJPY")j"), std::string::npos)
      << result.out;
}

TEST_F(FeedCheck, FailsWhenAFeedReportsAnErrorInItsHealth) {
  auto result =
      check("  - {plugin: " + feed_sick() + ", options: {health_throws: quote session lost}}\n", {"--seconds", "1"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out,
            R"j({"feed":"feeds[0] (feed-sick)","health":{"connected":false,"ticks_published":0,"rows_skipped":0,)j"
            R"j("reconnects":0,"error":"health() threw: quote session lost"}})j"
            "\n");
  EXPECT_EQ(result.err, "vigil feed-check: feeds[0] (feed-sick): failing: health() threw: quote session lost\n");
}

TEST_F(FeedCheck, RefusesAConfigWithoutFeeds) {
  std::string config = dir.write("empty.yaml", "instruments:\n  - {symbol: EURUSD, digits: 5}\n");
  auto result = run_process({built_binary("vigil"), "feed-check", "--config", config});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "vigil feed-check: " + config + ": the config has no feeds to check\n");
}
