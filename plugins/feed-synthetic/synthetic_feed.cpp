// feed-synthetic: seeded random-walk prices for demos and load tests.
//
// Every instrument takes one step per tick interval; ticks go through the
// host like any feed's. Deterministic for a seed (one walk per instrument,
// seeded with seed + index).
#include <atomic>
#include <chrono>

#include "random_walk.hpp"
#include "synthetic_options.hpp"
#include "vigil/sdk.hpp"

namespace {

using namespace vigil;

class SyntheticFeed final : public sdk::Feed {
 public:
  explicit SyntheticFeed(const sdk::CreateArgs& args)
      : host_(args.host), options_(synthetic::parse_options(args.options_json)) {
    for (size_t i = 0; i < options_.instruments.size(); ++i)
      walks_.emplace_back(options_.instruments[i].walk, options_.seed + i);
  }

  void run() override {
    connected_ = true;
    auto interval = options_.ticks_per_second > 0
                        ? std::chrono::nanoseconds(static_cast<int64_t>(1e9 / options_.ticks_per_second))
                        : std::chrono::nanoseconds(0);
    auto next = std::chrono::steady_clock::now();
    for (int64_t n = 0; options_.max_ticks == 0 || n < options_.max_ticks; ++n) {
      if (stop_.requested()) break;
      publish_round();
      next += interval;
      if (interval.count() > 0 && stop_.wait_until(next)) break;
    }
    connected_ = false;
  }

  void stop() noexcept override { stop_.request(); }

  sdk::FeedHealth health() const override {
    sdk::FeedHealth h;
    h.connected = connected_;
    h.last_tick_unix_ms = last_tick_;
    h.ticks_published = published_;
    return h;
  }

 private:
  void publish_round() {
    int64_t now = host_.now_unix_ms();
    for (size_t i = 0; i < walks_.size(); ++i) {
      const auto& instrument = options_.instruments[i];
      synthetic::Quote q = walks_[i].next();
      std::string bid = sdk::format_decimal(q.bid, instrument.digits);
      std::string ask = sdk::format_decimal(q.ask, instrument.digits);
      std::string why;
      if (host_.publish_tick({instrument.symbol, bid, ask, now, -1}, why) != VIGIL_OK)
        throw sdk::Error(VIGIL_INVALID_ARGUMENT,
                         "feed-synthetic: the host refused a tick of " + instrument.symbol + ": " + why);
      ++published_;
      last_tick_ = now;
    }
  }

  sdk::Host host_;
  synthetic::Options options_;
  std::vector<synthetic::RandomWalk> walks_;
  sdk::StopSignal stop_;
  std::atomic<bool> connected_{false};
  std::atomic<int64_t> last_tick_{0};
  std::atomic<uint64_t> published_{0};
};

}  // namespace

VIGIL_PLUGIN("feed-synthetic", "1.0.0", "seeded random-walk prices for demos and load tests",
             vigil::sdk::feed<SyntheticFeed>())
