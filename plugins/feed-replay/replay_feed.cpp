// feed-replay: publishes the ticks of a recorded file (csv or MetaTrader 5
// export), as fast as possible or paced like the original (speed 1.0 = real
// time). Malformed rows stop the feed with FILE:LINE: field '...': why,
// unless on_error is "skip": then they are skipped, logged and counted.
#include <atomic>
#include <chrono>

#include "replay_options.hpp"
#include "tick_file.hpp"
#include "vigil/sdk.hpp"

namespace {

using namespace vigil;
using Clock = std::chrono::steady_clock;

class ReplayFeed final : public sdk::Feed {
 public:
  explicit ReplayFeed(const sdk::CreateArgs& args)
      : host_(args.host), options_(replay::parse_options(args.options_json)) {
    replay::TickFile probe(options_.file, options_.format, options_.instrument);  // fail at start, not at run
  }

  void run() override {
    connected_ = true;
    replay::TickFile file(options_.file, options_.format, options_.instrument);
    std::optional<int64_t> first_tick;
    Clock::time_point started = Clock::now();
    while (!stop_.requested()) {
      std::optional<replay::TickRow> row;
      try {
        row = file.next();
      } catch (const replay::RowError& e) {
        reject(e.what());
        continue;
      }
      if (!row) break;
      if (!options_.instrument.empty() && row->instrument != options_.instrument) continue;
      if (!first_tick) first_tick = row->time_unix_ms;
      if (pace(started, row->time_unix_ms - *first_tick)) break;
      publish(*row);
    }
    connected_ = false;
  }

  void stop() noexcept override { stop_.request(); }

  sdk::FeedHealth health() const override {
    sdk::FeedHealth h;
    h.connected = connected_;
    h.last_tick_unix_ms = last_tick_;
    h.ticks_published = published_;
    h.rows_skipped = skipped_;
    return h;
  }

 private:
  void publish(const replay::TickRow& row) {
    std::string why;
    sdk::Tick tick{row.instrument, row.bid, row.ask, row.time_unix_ms, row.sequence};
    vigil_status status = host_.publish_tick(tick, why);
    if (status == VIGIL_OK) {
      ++published_;
      last_tick_ = row.time_unix_ms;
      return;
    }
    std::string where = options_.file + ":" + std::to_string(row.line) + ": " + why;
    if (status != VIGIL_INVALID_ARGUMENT) throw sdk::Error(status, where);
    reject(where);
  }

  // A bad row: fatal, or skipped and counted when configured so.
  void reject(const std::string& why) {
    if (!options_.skip_bad_rows) throw sdk::Error(VIGIL_INVALID_ARGUMENT, why);
    ++skipped_;
    host_.warn("skipped: " + why);
    host_.counter_add("vigil_feed_rows_skipped_total");
  }

  // Waits until `offset_ms` of tick time has passed at the configured speed.
  // Returns true when asked to stop meanwhile.
  bool pace(Clock::time_point started, int64_t offset_ms) {
    if (options_.speed <= 0) return false;
    auto due = started + std::chrono::microseconds(static_cast<int64_t>(offset_ms * 1000 / options_.speed));
    return stop_.wait_until(due);
  }

  sdk::Host host_;
  replay::Options options_;
  sdk::StopSignal stop_;
  std::atomic<bool> connected_{false};
  std::atomic<int64_t> last_tick_{0};
  std::atomic<uint64_t> published_{0}, skipped_{0};
};

}  // namespace

VIGIL_PLUGIN("feed-replay", "1.0.0", "replays recorded tick files (csv or MetaTrader 5 export)",
             vigil::sdk::feed<ReplayFeed>())
