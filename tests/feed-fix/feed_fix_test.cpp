// feed-fix loaded as a real plugin, connected over loopback to a real
// QuickFIX acceptor (price_venue.hpp) and publishing into a recording host.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <thread>

#include "hosts/common/config.hpp"
#include "plugins/feed-fix/fix_time.hpp"
#include "plugins/feed-fix/market_data.hpp"
#include "tests/feed-fix/price_venue.hpp"
#include "tests/support/plugin_harness.hpp"
#include "tests/support/temp_dir.hpp"

using vigil::test::PluginHarness;
using vigil::test::PriceVenue;
using vigil::test::ReceivedTick;
using vigil::test::RecordingApp;
using vigil::test::VenueEntry;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 5s) {
  auto deadline = Clock::now() + timeout;
  while (!condition()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

int64_t now_unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A feed running on its own thread, as the host runs it.
class RunningFeed {
 public:
  explicit RunningFeed(vigil::core::Component<vigil_feed_vtable> feed) : feed_(std::move(feed)) {
    thread_ = std::thread([this] { status_ = feed_.vtable()->run(feed_.instance(), error_.get()); });
  }
  ~RunningFeed() { stop(); }
  // Returns how long run() took to return after stop().
  Clock::duration stop() {
    if (!thread_.joinable()) return {};
    auto asked = Clock::now();
    feed_.vtable()->stop(feed_.instance());
    thread_.join();
    return Clock::now() - asked;
  }
  vigil_feed_health health() const {
    vigil_feed_health h{};
    h.struct_size = sizeof h;
    feed_.vtable()->health(feed_.instance(), &h);
    return h;
  }
  vigil_status status() const { return status_; }

 private:
  vigil::core::Component<vigil_feed_vtable> feed_;
  vigil::core::ErrorBuffer error_;
  vigil_status status_ = VIGIL_OK;
  std::thread thread_;
};

class FeedFix : public ::testing::Test {
 protected:
  int port = vigil::test::free_loopback_port();
  RecordingApp app;
  PluginHarness harness{"feed-fix", app.table()};

  nlohmann::json options(nlohmann::json symbols) {
    return {{"host", "127.0.0.1"},       {"port", port},           {"sender_comp_id", "VIGIL"},
            {"target_comp_id", "VENUE"}, {"heartbeat_seconds", 5}, {"reconnect_seconds", 1},
            {"symbols", symbols}};
  }
  std::unique_ptr<RunningFeed> start(const nlohmann::json& opts) {
    return std::make_unique<RunningFeed>(harness.create<vigil_feed_vtable>(VIGIL_KIND_FEED, opts.dump()));
  }
  bool ticks_reach(size_t count) {
    return eventually([&] { return app.ticks().size() >= count; });
  }
  std::string create_error(const nlohmann::json& opts) {
    try {
      harness.create<vigil_feed_vtable>(VIGIL_KIND_FEED, opts.dump());
    } catch (const vigil::core::ComponentError& e) {
      return e.what();
    }
    return "";
  }
};

const nlohmann::json kEurGbp = nlohmann::json::parse(R"([{"symbol": "EURUSD"},
                                                          {"symbol": "GBPUSD", "fix_symbol": "GBP/USD"}])");

}  // namespace

TEST_F(FeedFix, PublishesTheSnapshotThenOnlyTheSidesEachUpdateMoves) {
  PriceVenue venue(port, {{"EURUSD", {"1.10000", "1.10020"}}, {"GBP/USD", {"1.27000", "1.27030"}}},
                   "20241125-10:00:00.123");
  auto feed = start(options(kEurGbp));
  ASSERT_TRUE(ticks_reach(2));
  auto ticks = app.ticks();
  EXPECT_EQ(ticks[0].instrument, "EURUSD");
  EXPECT_EQ(ticks[0].bid, "1.10000");  // the text as received
  EXPECT_EQ(ticks[0].ask, "1.10020");
  EXPECT_EQ(ticks[0].time_unix_ms, 1732528800123);  // MDEntryDate + MDEntryTime
  EXPECT_EQ(ticks[1].instrument, "GBPUSD");         // mapped from GBP/USD
  EXPECT_EQ(ticks[1].ask, "1.27030");

  int64_t before = now_unix_ms();
  VenueEntry bid_only[] = {{"EURUSD", '0', "1.10005"}};
  ASSERT_TRUE(venue.send_update(bid_only, 1));
  ASSERT_TRUE(ticks_reach(3));
  ReceivedTick update = app.ticks()[2];
  EXPECT_EQ(update.instrument, "EURUSD");
  EXPECT_EQ(update.bid, "1.10005");
  EXPECT_EQ(update.ask, "");                      // unchanged
  EXPECT_GE(update.time_unix_ms, before - 1000);  // SendingTime, no entry time
  EXPECT_LE(update.time_unix_ms, now_unix_ms() + 1000);
  EXPECT_GT(update.sequence, ticks[1].sequence);  // MsgSeqNum

  VenueEntry mixed[] = {{"GBP/USD", '0', "1.27010"}, {"EURUSD", '1', "1.10030"}, {"GBP/USD", '1', "1.27040"}};
  ASSERT_TRUE(venue.send_update(mixed, 3));
  ASSERT_TRUE(ticks_reach(5));
  ticks = app.ticks();
  ASSERT_EQ(ticks.size(), 5u);
  EXPECT_EQ(ticks[3].instrument, "GBPUSD");  // both sides of one symbol make one tick
  EXPECT_EQ(ticks[3].bid, "1.27010");
  EXPECT_EQ(ticks[3].ask, "1.27040");
  EXPECT_EQ(ticks[4].instrument, "EURUSD");
  EXPECT_EQ(ticks[4].bid, "");
  EXPECT_EQ(ticks[4].ask, "1.10030");

  vigil_feed_health health = feed->health();
  EXPECT_EQ(health.connected, 1);
  EXPECT_EQ(health.ticks_published, 5u);
  EXPECT_EQ(health.last_tick_unix_ms, ticks[4].time_unix_ms);
  EXPECT_EQ(health.reconnects, 0u);
  EXPECT_EQ(venue.logons(), 1);
}

TEST_F(FeedFix, ReportsARejectedSubscriptionInItsLogAndHealth) {
  PriceVenue venue(port, {{"EURUSD", {"1.1", "1.2"}}});
  testing::internal::CaptureStderr();
  auto feed = start(options(nlohmann::json::parse(R"([{"symbol": "EURUSD"}, {"symbol": "XAUUSD"}])")));
  ASSERT_TRUE(venue.wait_for_requests(1, 5000));
  bool counted = eventually([&] { return harness.metrics().value("vigil_feed_fix_rejects_total") == 1; });
  vigil_feed_health health = feed->health();
  feed->stop();
  std::string log = testing::internal::GetCapturedStderr();
  EXPECT_TRUE(counted);
  EXPECT_EQ(health.connected, 0);  // logged on, but no prices will come
  EXPECT_TRUE(app.ticks().empty());
  EXPECT_NE(log.find("market data request vigil-1 rejected: unknown symbol (281=0): no such symbol: XAUUSD"),
            std::string::npos)
      << log;
}

TEST_F(FeedFix, ReconnectsAndSubscribesAgainAfterTheVenueGoesAway) {
  auto venue = std::make_unique<PriceVenue>(
      port, std::map<std::string, std::pair<std::string, std::string>>{{"EURUSD", {"1.10000", "1.10020"}}});
  auto feed = start(options(nlohmann::json::parse(R"([{"symbol": "EURUSD"}])")));
  ASSERT_TRUE(ticks_reach(1));
  ASSERT_TRUE(eventually([&] { return feed->health().connected == 1; }));

  venue.reset();  // the connection drops without a logout
  ASSERT_TRUE(eventually([&] { return feed->health().connected == 0; }));
  std::this_thread::sleep_for(1500ms);  // at least one failed reconnect attempt
  EXPECT_EQ(app.ticks().size(), 1u);

  venue = std::make_unique<PriceVenue>(
      port, std::map<std::string, std::pair<std::string, std::string>>{{"EURUSD", {"1.10100", "1.10120"}}});
  ASSERT_TRUE(ticks_reach(2)) << "no snapshot after the venue came back";
  EXPECT_EQ(app.ticks()[1].bid, "1.10100");
  VenueEntry update[] = {{"EURUSD", '1', "1.10130"}};
  ASSERT_TRUE(venue->send_update(update, 1));
  ASSERT_TRUE(ticks_reach(3));
  EXPECT_EQ(app.ticks()[2].ask, "1.10130");
  vigil_feed_health health = feed->health();
  EXPECT_EQ(health.connected, 1);
  EXPECT_EQ(health.reconnects, 1u);
  EXPECT_EQ(health.ticks_published, 3u);
}

TEST_F(FeedFix, RecoversFromASequenceGapWithoutDroppingTheSession) {
  PriceVenue venue(port, {{"EURUSD", {"1.10000", "1.10020"}}});
  auto feed = start(options(nlohmann::json::parse(R"([{"symbol": "EURUSD"}])")));
  ASSERT_TRUE(ticks_reach(1));
  venue.skip_sequence_numbers(5);
  // The feed sees the gap and asks for a resend; the venue answers with a
  // gap fill over everything it had sent, this update included.
  VenueEntry after_gap[] = {{"EURUSD", '0', "1.10010"}};
  ASSERT_TRUE(venue.send_update(after_gap, 1));
  ASSERT_TRUE(venue.wait_for_sequence_resets(1, 5000));
  VenueEntry next[] = {{"EURUSD", '1', "1.10040"}};
  ASSERT_TRUE(venue.send_update(next, 1));
  ASSERT_TRUE(eventually([&] { return app.ticks().back().ask == "1.10040"; }))
      << "no tick after the gap: the session did not recover";
  vigil_feed_health health = feed->health();
  EXPECT_EQ(health.connected, 1);
  EXPECT_EQ(health.reconnects, 0u);
  EXPECT_EQ(venue.logons(), 1);  // recovered in the session, not by logging on again
}

TEST_F(FeedFix, KeepsItsSequenceNumbersInStoreDirWhenGivenOne) {
  vigil::test::TempDir dir;
  PriceVenue venue(port, {{"EURUSD", {"1.1", "1.2"}}});
  nlohmann::json opts = options(nlohmann::json::parse(R"([{"symbol": "EURUSD"}])"));
  opts["store_dir"] = dir.path().string();
  auto feed = start(opts);
  ASSERT_TRUE(ticks_reach(1));
  feed->stop();
  std::string sequence_file;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    if (entry.path().extension() == ".seqnums") sequence_file = entry.path().string();
  ASSERT_FALSE(sequence_file.empty()) << "no QuickFIX store in " << dir.path();
  std::ifstream in(sequence_file);
  std::string numbers((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(numbers.find(" : "), std::string::npos) << numbers;  // "sender : target"
}

TEST_F(FeedFix, SkipsAndCountsQuotesTheHostRefusesAndCarriesOn) {
  app.answer = [](const ReceivedTick& tick, std::string& why) {
    if (tick.instrument != "GBPUSD") return VIGIL_OK;
    why = "field 'instrument': unknown instrument 'GBPUSD'";
    return VIGIL_INVALID_ARGUMENT;
  };
  PriceVenue venue(port, {{"EURUSD", {"1.1", "1.2"}}, {"GBP/USD", {"1.3", "1.4"}}});
  auto feed = start(options(kEurGbp));
  ASSERT_TRUE(eventually([&] { return feed->health().rows_skipped == 1; }));
  VenueEntry update[] = {{"EURUSD", '0', "1.15"}};
  ASSERT_TRUE(venue.send_update(update, 1));
  ASSERT_TRUE(ticks_reach(2));
  EXPECT_EQ(feed->health().ticks_published, 2u);
  EXPECT_EQ(harness.metrics().value("vigil_feed_rows_skipped_total"), 1);
}

TEST_F(FeedFix, StopsPromptlyWhetherConnectedOrNot) {
  auto lonely = start(options(nlohmann::json::parse(R"([{"symbol": "EURUSD"}])")));
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(lonely->health().connected, 0);
  EXPECT_LT(lonely->stop(), 2000ms);  // QuickFIX polls its sockets once a second
  lonely.reset();

  PriceVenue venue(port, {{"EURUSD", {"1.1", "1.2"}}});
  auto feed = start(options(nlohmann::json::parse(R"([{"symbol": "EURUSD"}])")));
  ASSERT_TRUE(ticks_reach(1));
  EXPECT_LT(feed->stop(), 3000ms);  // a polite logout (sent on the next poll), then the socket closes
  EXPECT_EQ(feed->status(), VIGIL_OK);
  EXPECT_EQ(feed->health().connected, 0);
}

TEST_F(FeedFix, RefusesBadOptionsNamingTheOption) {
  nlohmann::json eur = nlohmann::json::parse(R"([{"symbol": "EURUSD"}])");
  auto without = [&](const char* key) {
    nlohmann::json o = options(eur);
    o.erase(key);
    return o;
  };
  auto with = [&](const char* key, nlohmann::json value) {
    nlohmann::json o = options(eur);
    o[key] = value;
    return o;
  };
  EXPECT_NE(create_error(without("host")).find("option host: missing"), std::string::npos);
  EXPECT_NE(create_error(with("port", 70000)).find("option port: expected an integer from 1 to 65535"),
            std::string::npos);
  EXPECT_NE(create_error(with("port", "9876")).find("option port"), std::string::npos);
  EXPECT_NE(create_error(with("hostname", "x")).find("option hostname: unknown option"), std::string::npos);
  EXPECT_NE(create_error(with("heartbeat_seconds", 0)).find("option heartbeat_seconds"), std::string::npos);
  EXPECT_NE(create_error(with("reset_on_logon", "yes")).find("option reset_on_logon"), std::string::npos);
  EXPECT_NE(create_error(with("sender_comp_id", "A=B")).find("option sender_comp_id"), std::string::npos);
  EXPECT_NE(create_error(with("symbols", nlohmann::json::array())).find("option symbols: expected a non-empty list"),
            std::string::npos);
  EXPECT_NE(create_error(options(nlohmann::json::parse(R"([{"symbol": "EURUSD"}, {"symbol": "EURUSD"}])")))
                .find("option symbols[1].symbol: 'EURUSD' listed twice"),
            std::string::npos);
  EXPECT_NE(create_error(options(nlohmann::json::parse(R"([{"symbol": "EURUSD", "fix": "EUR/USD"}])")))
                .find("option symbols[0].fix: unknown option"),
            std::string::npos);
  EXPECT_EQ(create_error(options(eur)), "");
}

TEST_F(FeedFix, ExampleConfigIsTheDefaultWithTheFixFeedAndItsOptionsLoad) {
  std::string configs = std::string(VIGIL_SOURCE_DIR) + "/examples/configs/";
  vigil::host::Config fix = vigil::host::load_config(configs + "fix.yaml");
  vigil::host::Config base = vigil::host::load_config(configs + "default.yaml");
  ASSERT_EQ(fix.feeds.size(), 1u);
  EXPECT_EQ(fix.feeds[0].plugin, "feed-fix");
  EXPECT_EQ(create_error(nlohmann::json::parse(fix.feeds[0].options_json)), "");
  ASSERT_EQ(fix.instruments.size(), base.instruments.size());
  for (size_t i = 0; i < base.instruments.size(); ++i) EXPECT_EQ(fix.instruments[i].symbol, base.instruments[i].symbol);
  nlohmann::json fix_options = nlohmann::json::parse(fix.feeds[0].options_json);
  for (const auto& symbol : fix_options["symbols"]) {
    bool known = std::any_of(fix.instruments.begin(), fix.instruments.end(),
                             [&](const auto& i) { return i.symbol == symbol["symbol"]; });
    EXPECT_TRUE(known) << symbol["symbol"] << " is not an instrument of fix.yaml";
  }
  ASSERT_TRUE(fix.transport && base.transport);
  EXPECT_EQ(fix.transport->options_json, base.transport->options_json);
  EXPECT_EQ(fix.rules.size(), base.rules.size());
  EXPECT_EQ(fix.guards.stale_after_seconds, base.guards.stale_after_seconds);
}

TEST(FixTime, ReadsTimestampsDatesAndTimesOfDay) {
  using namespace vigil::fixfeed;
  EXPECT_EQ(parse_fix_timestamp("20241125-10:00:00.123"), 1732528800123);
  EXPECT_EQ(parse_fix_timestamp("20241125-10:00:00"), 1732528800000);
  EXPECT_EQ(parse_fix_timestamp("20241125-10:00:00.123456789"), 1732528800123);
  EXPECT_EQ(parse_fix_timestamp("20241125-10:00:00.5"), 1732528800500);
  EXPECT_EQ(parse_fix_date("19700101"), 0);
  EXPECT_EQ(parse_fix_time_of_day("00:00:01.001"), 1001);
  EXPECT_FALSE(parse_fix_timestamp("2024-11-25T10:00:00Z"));
  EXPECT_FALSE(parse_fix_timestamp("20241131-10:00:00"));
  EXPECT_FALSE(parse_fix_time_of_day("24:00:00"));
  EXPECT_FALSE(parse_fix_time_of_day("10:00:00."));
}

namespace {

// A FIX 4.4 message from its body ('|' for SOH), with BodyLength and CheckSum.
std::string fix_message(std::string body) {
  std::replace(body.begin(), body.end(), '|', '\x01');
  std::string out =
      "8=FIX.4.4\x01"
      "9=" +
      std::to_string(body.size()) + "\x01" + body;
  unsigned sum = 0;
  for (char c : out) sum += static_cast<unsigned char>(c);
  std::string checksum = std::to_string(sum % 256);
  return out + "10=" + std::string(3 - checksum.size(), '0') + checksum + "\x01";
}

}  // namespace

TEST(FixMarketData, ReadsQuotesOfASnapshotAndSkipsEntriesWithoutAPrice) {
  vigil::fixfeed::MarketData data;
  std::string why;
  ASSERT_TRUE(vigil::fixfeed::parse_market_data(
      fix_message("35=X|49=V|56=C|34=12|52=20241125-10:00:00.123|268=3|279=0|269=0|55=EUR/USD|270=1.08513|"
                  "272=20241125|273=10:00:00.456|279=0|269=1|55=EUR/USD|270=1.08515|279=0|269=1|55=XAU/USD|"),
      {"EUR/USD", "XAU/USD"}, data, why))
      << why;
  EXPECT_EQ(data.msg_type, 'X');
  EXPECT_EQ(data.seq_num, 12);
  ASSERT_EQ(data.quotes.size(), 1u);
  EXPECT_EQ(data.quotes[0].bid, "1.08513");
  EXPECT_EQ(data.quotes[0].offer, "1.08515");
  EXPECT_EQ(data.quotes[0].entry_time, "10:00:00.456");
  EXPECT_EQ(data.entries_skipped, 1u);
}

// Found by tests/fuzz (fix_market_data): MsgSeqNum went through std::stoll,
// whose std::invalid_argument / std::out_of_range escaped fromApp past
// QuickFIX's reject path. Now the message is refused as a FIX error.
TEST(FixMarketData, RefusesAMsgSeqNumThatIsNotASequenceNumber) {
  for (std::string seq : {"", "x1", "-5", "99999999999999999999999"}) {
    vigil::fixfeed::MarketData data;
    std::string why;
    EXPECT_FALSE(vigil::fixfeed::parse_market_data(
        fix_message("35=W|49=V|56=C|34=" + seq + "|52=20241125-10:00:00|55=EUR/USD|268=1|269=0|270=1.1|"), {"EUR/USD"},
        data, why))
        << seq;
    EXPECT_NE(why.find("MsgSeqNum"), std::string::npos) << seq << ": " << why;
  }
}
