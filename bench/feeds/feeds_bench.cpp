// bench/feeds: ticks per second from the real feed plugins through the core
// path vigild runs (the feed's publish_tick -> Application: parse, price
// guards, shard queue, engine thread) against the engine alone on the same
// ticks, parsed beforehand, in the same process.
//
// For each feed, three runs make one repetition:
//   feed only    the feed publishing into an application API that accepts
//                and counts (the feed's own cost)
//   feed+core    the feed publishing into core::Application, until every
//                tick has left the engine's queue (drain)
//   engine alone Engine::on_tick over the ticks the feed published
// Those three run with no position open: the engine's per-tick floor. Two
// more runs put a realistic book in place first, 100,000 positions spread
// over the feed's instruments with rule-sltp levels 0.05 % to 2 % around
// the first price (so some close during the run, as in a live market):
//   feed+core, book    as feed+core, the positions watched through the
//                      Application's engine link before the feed starts
//   engine, book       Engine::on_tick over the ticks, same positions
// The book is built outside the timing.
// feed-fix runs too, against a QuickFIX acceptor on loopback (the tests'
// price venue) that sends one 35=X per tick, each moving one side of
// EURUSD: its ticks/s are QuickFIX's, both ends, on the same two cores.
// Repetitions are interleaved; medians are printed with the ratios.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/app/application.hpp"
#include "core/app/tick_intake.hpp"
#include "core/engine/engine.hpp"
#include "core/plugins/component.hpp"
#include "core/plugins/host_services.hpp"
#include "core/support/log.hpp"
#include "hosts/common/plugin_loader.hpp"
#include "tests/feed-fix/price_venue.hpp"
#include "vigil/cpp/error.hpp"
#include "vigil/vigil.h"

using namespace vigil;
using namespace vigil::core;
using SteadyClock = std::chrono::steady_clock;  // core::Clock is the host's wall clock

namespace {

constexpr int kRepetitions = 5;

Instruments make_instruments() {
  Instruments instruments;
  instruments.add("EURUSD", 5);
  instruments.add("GBPUSD", 5);
  instruments.add("USDJPY", 3);
  instruments.add("XAUUSD", 3);
  return instruments;
}

// An application API that accepts every tick (or hands it on to `next`),
// counting them, optionally keeping a parsed copy.
class AcceptingApp {
 public:
  explicit AcceptingApp(const Instruments& instruments, std::vector<ParsedTick>* keep = nullptr,
                        const vigil_app* next = nullptr)
      : instruments_(instruments), keep_(keep), next_(next) {
    table_.struct_size = sizeof table_;
    table_.ctx = this;
    table_.publish_tick = [](void* ctx, const vigil_tick* tick, vigil_error* error) {
      auto& self = *static_cast<AcceptingApp*>(ctx);
      if (self.keep_) self.keep_->push_back(parse_tick(self.instruments_, *tick));
      vigil_status status = self.next_ ? self.next_->publish_tick(self.next_->ctx, tick, error) : VIGIL_OK;
      self.count_.fetch_add(1, std::memory_order_release);
      return status;
    };
  }
  const vigil_app* table() const { return &table_; }
  uint64_t count() const { return count_.load(std::memory_order_acquire); }

 private:
  const Instruments& instruments_;
  std::vector<ParsedTick>* keep_;
  const vigil_app* next_;
  std::atomic<uint64_t> count_{0};
  vigil_app table_{};
};

struct Loaded {
  host::LoadedPlugin plugin;
  explicit Loaded(const std::string& name)
      : plugin(host::load_plugin(std::string(VIGIL_PLUGIN_DIR) + "/" + name + ".so")) {}
};

// Runs one feed publishing into `next` (accepting everything when null)
// through a counting AcceptingApp that keeps parsed copies in `keep`.
// Returns the seconds its ticks took to publish, `settle` included (the
// engine's queue draining), the feed's setup and teardown excluded.
using FeedRun =
    std::function<double(const vigil_app* next, std::vector<ParsedTick>* keep, const std::function<void()>& settle)>;

// A feed that runs to its end on this thread.
FeedRun run_to_end(const Loaded& feed, const char* plugin, std::string options, const Instruments& instruments) {
  return [&feed, plugin, options, &instruments](const vigil_app* next, std::vector<ParsedTick>* keep,
                                                const std::function<void()>& settle) {
    AcceptingApp app(instruments, keep, next);
    Metrics metrics;
    HostServices services(plugin, metrics, app.table());
    Component<vigil_feed_vtable> component(static_cast<const vigil_feed_vtable*>(feed.plugin.vtable(VIGIL_KIND_FEED)),
                                           plugin, options, services.table());
    ErrorBuffer error;
    auto start = SteadyClock::now();
    error.check(component.vtable()->run(component.instance(), error.get()), plugin);
    settle();
    return std::chrono::duration<double>(SteadyClock::now() - start).count();
  };
}

bool wait_for(const AcceptingApp& app, uint64_t count) {
  auto deadline = SteadyClock::now() + std::chrono::seconds(30);
  while (app.count() < count) {
    if (SteadyClock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::microseconds(200));  // spinning would take a core from the feed
  }
  return true;
}

// feed-fix against the tests' price venue: the snapshot first (untimed),
// then `updates` one-sided 35=X messages sent as fast as QuickFIX takes
// them, timed until the last one has been published.
FeedRun run_fix(const Loaded& feed, int updates, const Instruments& instruments) {
  // A triangle wave of one point per update, so the price guards see no
  // spikes: the bid on even updates, the ask (20 points above) on odd ones.
  auto prices = std::make_shared<std::vector<test::VenueEntry>>();
  char text[32];
  for (int i = 0; i < updates; ++i) {
    int step = (i / 2) % 200, points = step < 100 ? step : 200 - step;
    bool bid = i % 2 == 0;
    std::snprintf(text, sizeof text, "1.%05d", 10000 + points + (bid ? 0 : 20));
    prices->push_back({"EURUSD", bid ? '0' : '1', text});
  }
  return [&feed, prices, &instruments](const vigil_app* next, std::vector<ParsedTick>* keep,
                                       const std::function<void()>& settle) {
    int port = test::free_loopback_port();
    test::PriceVenue venue(port, {{"EURUSD", {"1.10000", "1.10020"}}});
    AcceptingApp app(instruments, keep, next);
    Metrics metrics;
    HostServices services("feed-fix", metrics, app.table());
    std::string options =
        R"({"host": "127.0.0.1", "port": )" + std::to_string(port) +
        R"(, "sender_comp_id": "VIGIL", "target_comp_id": "VENUE", "symbols": [{"symbol": "EURUSD"}]})";
    Component<vigil_feed_vtable> component(static_cast<const vigil_feed_vtable*>(feed.plugin.vtable(VIGIL_KIND_FEED)),
                                           "feed-fix", options, services.table());
    std::thread runner([&] {
      ErrorBuffer error;
      component.vtable()->run(component.instance(), error.get());
    });
    double seconds = -1;
    if (wait_for(app, 1)) {
      auto start = SteadyClock::now();
      for (const test::VenueEntry& entry : *prices) venue.send_update(&entry, 1);
      if (wait_for(app, 1 + prices->size())) {
        settle();
        seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
      }
    }
    component.vtable()->stop(component.instance());
    runner.join();
    if (seconds < 0) throw std::runtime_error("feed-fix: the ticks did not all arrive");
    return seconds;
  };
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

struct Rules {
  Loaded sltp{"rule-sltp"};
  Metrics metrics;
  HostServices services{"rule-sltp", metrics, nullptr};
  Component<vigil_rule_vtable> rule{static_cast<const vigil_rule_vtable*>(sltp.plugin.vtable(VIGIL_KIND_RULE)),
                                    "rule-sltp", "{}", services.table()};
  std::vector<EngineRule> list() { return {{"rule-sltp", rule.vtable(), rule.instance()}}; }
};

constexpr size_t kBookPositions = 100000;

// kBookPositions positions over the instruments the ticks quote, alternately
// buy and sell, entered at each instrument's first full quote, with a
// stop-loss and a take-profit each 0.05 % to 2 % of the price away.
std::vector<NewPosition> make_book(const std::vector<ParsedTick>& ticks) {
  std::map<InstrumentId, std::pair<int64_t, int64_t>> sides;  // last bid, ask
  std::map<InstrumentId, int64_t> first_mid;
  for (const ParsedTick& t : ticks) {
    auto& [bid, ask] = sides[t.instrument];
    if (t.bid) bid = *t.bid;
    if (t.ask) ask = *t.ask;
    if (bid && ask) first_mid.emplace(t.instrument, (bid + ask) / 2);
  }
  std::vector<std::pair<InstrumentId, int64_t>> quoted(first_mid.begin(), first_mid.end());
  std::mt19937_64 random(42);
  std::uniform_real_distribution<double> away(0.0005, 0.02);
  std::vector<NewPosition> book(kBookPositions);
  for (size_t k = 0; k < book.size(); ++k) {
    auto [instrument, mid] = quoted[k % quoted.size()];
    auto distance = [&] { return std::max<int64_t>(1, static_cast<int64_t>(static_cast<double>(mid) * away(random))); };
    NewPosition& p = book[k];
    p.key = k + 1;
    p.id = "p" + std::to_string(k + 1);
    p.instrument = instrument;
    p.side = k % 2 == 0 ? Side::buy : Side::sell;
    p.volume = 1000000;
    p.entry_price = mid;
    int64_t sl = distance(), tp = distance();
    p.owner_sl = p.side == Side::buy ? mid - sl : mid + sl;
    p.owner_tp = p.side == Side::buy ? mid + tp : mid - tp;
    p.rules = {{0, "{}"}};
  }
  return book;
}

// Seconds for the ticks; `closed` gets how many positions of the book closed.
double engine_run(const Instruments& instruments, Rules& rules, const std::vector<ParsedTick>& ticks,
                  const std::vector<NewPosition>& book, size_t* closed = nullptr) {
  Engine engine(instruments, rules.list());
  for (const NewPosition& p : book) engine.add(p);
  std::vector<CloseEvent> events;
  auto start = SteadyClock::now();
  for (const ParsedTick& t : ticks) engine.on_tick(t.instrument, t.bid, t.ask, t.time_unix_ms, t.sequence, events);
  double seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  if (closed) *closed = events.size();
  return seconds;
}

double core_run(const char* name, const FeedRun& run, const Instruments& instruments, Rules& rules,
                const std::vector<NewPosition>& book) {
  Metrics metrics;
  Application app(instruments, rules.list(), 1, metrics);
  EngineLink link = app.engine_link();
  for (const NewPosition& p : book) link.watch(p);
  app.drain();
  return run(app.feed_port(name), nullptr, [&] { app.drain(); });
}

void bench(const char* name, const FeedRun& run, const Instruments& instruments, Rules& rules) {
  std::vector<ParsedTick> ticks;
  auto nothing = [] {};
  run(nullptr, &ticks, nothing);
  std::vector<NewPosition> book = make_book(ticks);
  std::vector<double> feed_only, with_core, engine_alone, core_book, engine_book;
  size_t closed = 0;
  for (int r = 0; r < kRepetitions; ++r) {
    feed_only.push_back(run(nullptr, nullptr, nothing));
    with_core.push_back(core_run(name, run, instruments, rules, {}));
    engine_alone.push_back(engine_run(instruments, rules, ticks, {}));
    core_book.push_back(core_run(name, run, instruments, rules, book));
    engine_book.push_back(engine_run(instruments, rules, ticks, book, &closed));
  }
  double n = static_cast<double>(ticks.size());
  double feed_s = median(feed_only), core_s = median(with_core), engine_s = median(engine_alone);
  double core_book_s = median(core_book), engine_book_s = median(engine_book);
  std::printf("%-16s %7zu ticks  feed only %8.0f k/s  feed+core %8.0f k/s  engine alone %8.0f k/s\n", name,
              ticks.size(), n / feed_s / 1e3, n / core_s / 1e3, n / engine_s / 1e3);
  std::printf(
      "%-16s ns/tick: feed only %8.1f  feed+core %8.1f  engine alone %6.1f   "
      "feed+core / engine alone %7.1fx   feed+core / feed only %4.2fx\n",
      "", feed_s / n * 1e9, core_s / n * 1e9, engine_s / n * 1e9, core_s / engine_s, core_s / feed_s);
  // What the path adds on top of the engine's own work, in units of that work.
  std::printf(
      "%-16s book of %zu (%zu close): feed+core %8.1f  engine %6.1f ns/tick   feed+core / engine %5.1fx   "
      "(feed+core - engine) / engine %5.1fx\n",
      "", book.size(), closed, core_book_s / n * 1e9, engine_book_s / n * 1e9, core_book_s / engine_book_s,
      (core_book_s - engine_book_s) / engine_book_s);
}

}  // namespace

int main() {
  set_log_level(LogLevel::warn);
  Rules rules;
  Instruments instruments = make_instruments();
  std::string data = VIGIL_DATA_DIR;
  Loaded synthetic("feed-synthetic"), replay("feed-replay"), fix("feed-fix");
  std::printf("%d interleaved repetitions, medians; no open positions unless a book is named\n", kRepetitions);
  bench("feed-synthetic",
        run_to_end(synthetic, "feed-synthetic",
                   R"({"ticks_per_second": 0, "max_ticks": 50000, "seed": 7, "instruments": [
            {"symbol": "EURUSD", "digits": 5, "start": "1.10000", "volatility_points": 8, "spread_points": 2},
            {"symbol": "GBPUSD", "digits": 5, "start": "1.27000", "volatility_points": 10, "spread_points": 3},
            {"symbol": "USDJPY", "digits": 3, "start": "150.000", "volatility_points": 12, "spread_points": 3},
            {"symbol": "XAUUSD", "digits": 3, "start": "2000.000", "volatility_points": 150, "spread_points": 250}]})",
                   instruments),
        instruments, rules);
  bench("feed-replay csv",
        run_to_end(replay, "feed-replay", R"({"file": ")" + data + R"(/eurusd-2014-05-08.csv"})", instruments),
        instruments, rules);
  bench("feed-replay mt5",
        run_to_end(replay, "feed-replay",
                   R"({"file": ")" + data + R"(/eurusd-2014-05-08.mt5.tsv", "format": "mt5", "instrument": "EURUSD"})",
                   instruments),
        instruments, rules);
  bench("feed-fix", run_fix(fix, 20000, instruments), instruments, rules);
  return 0;
}
