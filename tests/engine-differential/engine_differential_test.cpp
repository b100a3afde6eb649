// A differential property test: random scenarios (several instruments,
// random walks with gaps, one-sided ticks, positions added, removed and
// re-levelled mid-stream) run through the Engine with the real rule-sltp
// plugin and through a brute-force scan written here from
// docs/breach-semantics.md. Both must produce identical close events.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <random>

#include "core/engine/engine.hpp"
#include "tests/support/plugin_harness.hpp"

using namespace vigil::core;

namespace {

struct Event {
  uint64_t key;
  std::string reason;
  int64_t price, level, sequence;
  bool operator==(const Event&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Event& e) {
  return os << "{key " << e.key << " " << e.reason << " price " << e.price << " level " << e.level << " tick "
            << e.sequence << "}";
}

struct ModelPosition {
  uint64_t key;
  InstrumentId instrument;
  bool buy;
  std::optional<int64_t> sl, tp;
  int64_t opened_at;
  bool armed = false;  // the engine watches a position from the tick at or after opened_at
};

// docs/breach-semantics.md, by scanning every position on every tick.
class BruteForce {
 public:
  explicit BruteForce(size_t instruments) : quotes_(instruments), last_time_(instruments, INT64_MIN) {}

  void add(const ModelPosition& p) {
    ModelPosition copy = p;
    copy.armed = p.opened_at == 0 || p.opened_at <= last_time_[p.instrument];
    open_[p.key] = copy;
  }
  void remove(uint64_t key) { open_.erase(key); }

  void tick(InstrumentId i, std::optional<int64_t> bid, std::optional<int64_t> ask, int64_t time, int64_t seq,
            std::vector<Event>& out) {
    if (bid) quotes_[i].bid = bid;
    if (ask) quotes_[i].ask = ask;
    last_time_[i] = std::max(last_time_[i], time);
    std::vector<uint64_t> closed;
    for (auto& [key, p] : open_) {  // std::map: in key order, as the engine orders one tick's events
      if (p.instrument != i) continue;
      if (!p.armed && p.opened_at <= time) p.armed = true;
      if (!p.armed) continue;
      std::optional<int64_t> price = p.buy ? quotes_[i].bid : quotes_[i].ask;
      if (!price) continue;
      bool sl_hit = p.sl && (p.buy ? *price <= *p.sl : *price >= *p.sl);
      bool tp_hit = p.tp && (p.buy ? *price >= *p.tp : *price <= *p.tp);
      if (!sl_hit && !tp_hit) continue;
      out.push_back({key, sl_hit ? "sl_hit" : "tp_hit", *price, sl_hit ? *p.sl : *p.tp, seq});
      closed.push_back(key);
    }
    for (uint64_t key : closed) open_.erase(key);
  }
  bool is_open(uint64_t key) const { return open_.count(key) > 0; }

 private:
  struct Quote {
    std::optional<int64_t> bid, ask;
  };
  std::vector<Quote> quotes_;
  std::vector<int64_t> last_time_;
  std::map<uint64_t, ModelPosition> open_;
};

class Scenario {
 public:
  Scenario(uint64_t seed, const EngineRule& rule) : random_(seed) {
    for (int i = 0; i < 3; ++i) instruments_.add("I" + std::to_string(i), 5);
    engine_ = std::make_unique<Engine>(instruments_, std::vector<EngineRule>{rule});
    model_ = std::make_unique<BruteForce>(3);
    mids_ = {100000, 100000, 100000};
  }

  void run(int steps) {
    for (int step = 0; step < steps; ++step) {
      switch (uniform(0, 9)) {
        case 0:
        case 1:
          add_position();
          break;
        case 2:
          remove_position();
          break;
        case 3:
          relevel_position();
          break;
        default:
          tick();
          break;
      }
    }
  }

  std::vector<Event> engine_events, model_events;

 private:
  int64_t uniform(int64_t low, int64_t high) { return std::uniform_int_distribution<int64_t>(low, high)(random_); }

  void add_position() {
    uint64_t key = next_key_++;
    auto instrument = static_cast<InstrumentId>(uniform(0, 2));
    bool buy = uniform(0, 1) == 0;
    int64_t mid = mids_[instrument];
    std::optional<int64_t> sl, tp;
    // Levels near the price so that many fire; sometimes exactly at it.
    if (uniform(0, 3) > 0) sl = buy ? mid - uniform(0, 60) : mid + uniform(0, 60);
    if (uniform(0, 3) > 0) tp = buy ? mid + uniform(1, 60) : mid - uniform(1, 60);
    if (sl && tp && (buy ? *sl >= *tp : *sl <= *tp)) tp.reset();
    int64_t opened_at = uniform(0, 2) == 0 ? 0 : time_ + uniform(-5, 20);
    add(key, instrument, buy, sl, tp, opened_at);
  }

  void add(uint64_t key, InstrumentId instrument, bool buy, std::optional<int64_t> sl, std::optional<int64_t> tp,
           int64_t opened_at) {
    NewPosition p;
    p.key = key;
    p.id = "p" + std::to_string(key);
    p.instrument = instrument;
    p.side = buy ? Side::buy : Side::sell;
    p.volume = 100000000;
    p.entry_price = mids_[instrument];
    p.owner_sl = sl;
    p.owner_tp = tp;
    p.opened_at_unix_ms = opened_at;
    p.rules = {{0, "{}"}};
    handles_[key] = {engine_->add(p), {key, instrument, buy, sl, tp, opened_at}};
    model_->add(handles_[key].second);
  }

  void remove_position() {
    if (handles_.empty()) return;
    auto it = std::next(handles_.begin(), uniform(0, static_cast<int64_t>(handles_.size()) - 1));
    bool engine_had = engine_->remove(it->second.first);
    EXPECT_EQ(engine_had, model_->is_open(it->first)) << "position " << it->first;
    model_->remove(it->first);
    handles_.erase(it);
  }

  // Moving levels mid-stream: the sltp rule has no move action of its own, so
  // a move is a remove and an add of the same key with the new levels.
  void relevel_position() {
    if (handles_.empty()) return;
    auto it = std::next(handles_.begin(), uniform(0, static_cast<int64_t>(handles_.size()) - 1));
    ModelPosition p = it->second.second;
    if (!engine_->remove(it->second.first)) return;
    model_->remove(p.key);
    int64_t mid = mids_[p.instrument];
    add(p.key, p.instrument, p.buy, p.buy ? mid - uniform(1, 40) : mid + uniform(1, 40), std::nullopt, 0);
  }

  void tick() {
    auto i = static_cast<InstrumentId>(uniform(0, 2));
    int64_t move = uniform(0, 20) == 0 ? uniform(-80, 80) : uniform(-3, 3);  // occasional gaps
    mids_[i] = std::max<int64_t>(1000, mids_[i] + move);
    int64_t spread = uniform(0, 4);
    std::optional<int64_t> bid = mids_[i], ask = mids_[i] + spread;
    int sides = static_cast<int>(uniform(0, 5));
    if (sides == 0) bid.reset();
    if (sides == 1) ask.reset();
    time_ += uniform(0, 3);
    int64_t seq = sequence_++;
    std::vector<CloseEvent> events;
    engine_->on_tick(i, bid, ask, time_, seq, events);
    for (const auto& e : events) engine_events.push_back({e.key, e.reason, e.price, e.level, e.tick_sequence});
    model_->tick(i, bid, ask, time_, seq, model_events);
    for (const auto& e : events) handles_.erase(e.key);
  }

  std::mt19937_64 random_;
  Instruments instruments_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<BruteForce> model_;
  std::vector<int64_t> mids_;
  std::map<uint64_t, std::pair<PositionHandle, ModelPosition>> handles_;
  uint64_t next_key_ = 0;
  int64_t time_ = 1000, sequence_ = 0;
};

}  // namespace

TEST(EngineDifferential, MatchesABruteForceScanOnThousandsOfRandomScenarios) {
  vigil::test::PluginHarness harness("rule-sltp");
  auto rule = harness.create<vigil_rule_vtable>(VIGIL_KIND_RULE);
  EngineRule engine_rule{"rule-sltp", rule.vtable(), rule.instance()};
  size_t events = 0;
  for (uint64_t seed = 1; seed <= 3000; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    Scenario scenario(seed, engine_rule);
    scenario.run(300);
    ASSERT_EQ(scenario.engine_events, scenario.model_events);
    events += scenario.engine_events.size();
  }
  EXPECT_GT(events, 30000u);  // the scenarios really close positions
}
