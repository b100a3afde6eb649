// feed-fix: a FIX 4.4 market-data initiator. Logs on, asks once for the
// top of book (bid and offer, snapshot plus incremental updates) of every
// configured symbol, and publishes each 35=W / 35=X as ticks: a message that
// moves one side publishes that side only. QuickFIX reconnects by itself
// every reconnect_seconds and the feed subscribes again after each logon.
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>

#include "fix_options.hpp"
#include "fix_session.hpp"
#include "fix_time.hpp"
#include "vigil/sdk.hpp"

namespace {

using namespace vigil;

class FixFeed final : public sdk::Feed, private fixfeed::SessionEvents {
 public:
  explicit FixFeed(const sdk::CreateArgs& args)
      : host_(args.host),
        options_(fixfeed::parse_options(args.options_json)),
        where_(options_.session.host + ":" + std::to_string(options_.session.port)) {
    for (const fixfeed::Symbol& s : options_.symbols) instruments_[s.fix_symbol] = s.instrument;
    try {
      session_ = std::make_unique<fixfeed::Session>(options_.session, static_cast<SessionEvents&>(*this));
    } catch (const std::runtime_error& e) {
      throw sdk::Error(VIGIL_INVALID_ARGUMENT, "feed-fix " + where_ + ": " + e.what());
    }
  }

  ~FixFeed() override { session_.reset(); }

  void run() override {
    if (stop_.requested()) return;
    host_.info("feed-fix: connecting to " + where_ + " as " + options_.session.sender_comp_id + " -> " +
               options_.session.target_comp_id);
    try {
      session_->start();
    } catch (const std::runtime_error& e) {
      throw sdk::Error(VIGIL_UNAVAILABLE, "feed-fix " + where_ + ": " + e.what());
    }
    while (!stop_.wait_until(std::chrono::steady_clock::now() + std::chrono::hours(1))) {
    }
    session_->stop(1000);
    logged_on_ = false;
    std::lock_guard lock(mutex_);
    if (!fatal_.empty()) throw sdk::Error(fatal_status_, fatal_);
  }

  void stop() noexcept override { stop_.request(); }

  sdk::FeedHealth health() const override {
    sdk::FeedHealth h;
    h.connected = logged_on_ && !rejected_;
    h.last_tick_unix_ms = last_tick_;
    h.ticks_published = published_;
    h.rows_skipped = skipped_;
    h.reconnects = logons_ > 1 ? logons_ - 1 : 0;
    return h;
  }

 private:
  void on_logon() override {
    ++logons_;
    rejected_ = false;
    logged_on_ = true;
    host_.info("feed-fix: logged on to " + where_ + ", subscribing to " + std::to_string(options_.symbols.size()) +
               " symbol(s)");
  }

  // QuickFIX reports a logout for a failed logon attempt too: warn once
  // per lost session.
  void on_logout() override {
    if (!logged_on_.exchange(false)) return;
    if (stop_.requested()) {
      host_.info("feed-fix: logged out of " + where_);
      return;
    }
    host_.warn("feed-fix: disconnected from " + where_ + "; reconnecting every " +
               std::to_string(options_.session.reconnect_seconds) + " s");
  }

  void on_reject(const std::string& why) override {
    rejected_ = true;
    host_.error("feed-fix " + where_ + ": " + why);
    host_.counter_add("vigil_feed_fix_rejects_total");
  }

  void on_event(fixfeed::EventLevel level, const std::string& text) override {
    std::string line = "feed-fix " + where_ + ": " + text;
    switch (level) {
      case fixfeed::EventLevel::debug:
        host_.debug(line);
        break;
      case fixfeed::EventLevel::info:
        host_.info(line);
        break;
      case fixfeed::EventLevel::warn:
        host_.warn(line);
        break;
      case fixfeed::EventLevel::error:
        host_.error(line);
        break;
    }
  }

  void on_market_data(const fixfeed::MarketData& data) override {
    try {
      skip(data.entries_skipped, "35=" + std::string(1, data.msg_type) + " seq " + std::to_string(data.seq_num) +
                                     ": entries without a symbol or MDEntryPx");
      std::optional<int64_t> sent = fixfeed::parse_fix_timestamp(data.sending_time);
      for (const fixfeed::Quote& quote : data.quotes) publish(data, quote, sent);
    } catch (const std::exception& e) {
      fatal(VIGIL_INTERNAL, e.what());
    }
  }

  void publish(const fixfeed::MarketData& data, const fixfeed::Quote& quote, std::optional<int64_t> sent) {
    std::string origin = "35=" + std::string(1, data.msg_type) + " seq " + std::to_string(data.seq_num);
    auto instrument = instruments_.find(quote.symbol);
    if (instrument == instruments_.end()) {
      skip(1, origin + ": symbol '" + quote.symbol + "' was not asked for");
      return;
    }
    std::optional<int64_t> time;
    if (!quote.entry_date.empty()) {
      auto day = fixfeed::parse_fix_date(quote.entry_date);
      auto of_day = fixfeed::parse_fix_time_of_day(quote.entry_time);
      if (day && of_day) time = *day + *of_day;
    }
    if (!time) time = sent;
    if (!time) time = host_.now_unix_ms();
    sdk::Tick tick{instrument->second, quote.bid, quote.offer, *time, data.seq_num};
    std::string why;
    vigil_status status = host_.publish_tick(tick, why);
    if (status == VIGIL_OK) {
      ++published_;
      last_tick_ = *time;
      return;
    }
    if (status == VIGIL_INVALID_ARGUMENT) {
      skip(1, origin + " " + quote.symbol + ": " + why);
      return;
    }
    fatal(status, origin + ": " + why);
  }

  void skip(uint64_t count, const std::string& why) {
    if (count == 0) return;
    skipped_ += count;
    host_.warn("feed-fix " + where_ + ": skipped: " + why);
    host_.counter_add("vigil_feed_rows_skipped_total", static_cast<double>(count));
  }

  // Ends run() with this error.
  void fatal(vigil_status status, const std::string& why) {
    {
      std::lock_guard lock(mutex_);
      if (!fatal_.empty()) return;
      fatal_status_ = status;
      fatal_ = "feed-fix " + where_ + ": " + why;
    }
    stop_.request();
  }

  sdk::Host host_;
  fixfeed::Options options_;
  std::string where_;
  std::map<std::string, std::string> instruments_;  // FIX symbol -> instrument
  sdk::StopSignal stop_;
  std::atomic<bool> logged_on_{false}, rejected_{false};
  std::atomic<int64_t> last_tick_{0};
  std::atomic<uint64_t> published_{0}, skipped_{0}, logons_{0};
  std::mutex mutex_;
  vigil_status fatal_status_ = VIGIL_OK;
  std::string fatal_;
  std::unique_ptr<fixfeed::Session> session_;  // last: stopped before the rest goes
};

}  // namespace

VIGIL_PLUGIN("feed-fix", "1.0.0", "FIX 4.4 market data (QuickFIX initiator): top-of-book bid/offer as ticks",
             vigil::sdk::feed<FixFeed>())
