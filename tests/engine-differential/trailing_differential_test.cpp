// rule-trailing through the Engine against a brute-force model of a
// trailing stop that looks at every position on every tick: random walks
// with gaps and one-sided ticks, BUY and SELL, random distances and steps,
// positions added and removed mid-stream. Both must close the same
// positions on the same ticks at the same levels.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <random>

#include "core/engine/engine.hpp"
#include "tests/support/plugin_harness.hpp"

using namespace vigil::core;

namespace {

struct Close {
  uint64_t key;
  int64_t price, level, sequence;
  bool operator==(const Close&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Close& c) {
  return os << "{key " << c.key << " price " << c.price << " level " << c.level << " tick " << c.sequence << "}";
}

// A trailing stop, by definition: the best trigger price since entry,
// improved only by at least `step`; closed when the trigger price is
// `distance` or more against the best.
struct Trail {
  InstrumentId instrument;
  bool buy;
  int64_t distance, step, best;
};

class TrailingScenario {
 public:
  TrailingScenario(uint64_t seed, const EngineRule& rule) : random_(seed) {
    for (int i = 0; i < 2; ++i) instruments_.add("I" + std::to_string(i), 5);
    engine_ = std::make_unique<Engine>(instruments_, std::vector<EngineRule>{rule});
  }

  void run(int steps) {
    for (int step = 0; step < steps; ++step) {
      int64_t what = uniform(0, 9);
      if (what < 2)
        add();
      else if (what == 2)
        remove();
      else
        tick();
    }
  }

  std::vector<Close> engine_closes, model_closes;

 private:
  int64_t uniform(int64_t low, int64_t high) { return std::uniform_int_distribution<int64_t>(low, high)(random_); }

  void add() {
    uint64_t key = next_key_++;
    auto instrument = static_cast<InstrumentId>(uniform(0, 1));
    Trail t{instrument, uniform(0, 1) == 0, uniform(1, 60), uniform(1, 5), mids_[instrument]};
    NewPosition p;
    p.key = key;
    p.id = "p" + std::to_string(key);
    p.instrument = instrument;
    p.side = t.buy ? Side::buy : Side::sell;
    p.volume = 100000000;
    p.entry_price = t.best;
    p.rules = {{0, R"({"distance":{"points":)" + std::to_string(t.distance) + R"(},"step":{"points":)" +
                       std::to_string(t.step) + "}}"}};
    handles_[key] = engine_->add(p);
    model_[key] = t;
  }

  void remove() {
    if (handles_.empty()) return;
    auto it = std::next(handles_.begin(), uniform(0, static_cast<int64_t>(handles_.size()) - 1));
    EXPECT_EQ(engine_->remove(it->second), model_.count(it->first) > 0) << "position " << it->first;
    model_.erase(it->first);
    handles_.erase(it);
  }

  void tick() {
    auto i = static_cast<InstrumentId>(uniform(0, 1));
    int64_t move = uniform(0, 15) == 0 ? uniform(-70, 70) : uniform(-4, 4);  // occasional gaps
    mids_[i] = std::max<int64_t>(1000, mids_[i] + move);
    std::optional<int64_t> bid = mids_[i], ask = mids_[i] + uniform(0, 4);
    int sides = static_cast<int>(uniform(0, 5));
    if (sides == 0) bid.reset();
    if (sides == 1) ask.reset();
    if (bid) quotes_[i].first = bid;
    if (ask) quotes_[i].second = ask;
    int64_t seq = sequence_++;
    std::vector<CloseEvent> events;
    engine_->on_tick(i, bid, ask, seq, seq, events);
    for (const auto& e : events) {
      EXPECT_EQ(e.reason, "trailing_stop");
      engine_closes.push_back({e.key, e.price, e.level, e.tick_sequence});
      handles_.erase(e.key);
    }
    model_tick(i, seq);
  }

  void model_tick(InstrumentId i, int64_t seq) {
    for (auto it = model_.begin(); it != model_.end();) {  // key order, as the engine orders a tick's events
      Trail& t = it->second;
      std::optional<int64_t> price = t.buy ? quotes_[i].first : quotes_[i].second;
      if (t.instrument != i || !price) {
        ++it;
        continue;
      }
      int64_t against = t.buy ? t.best - *price : *price - t.best;
      int64_t gain = -against;
      if (against >= t.distance) {
        model_closes.push_back({it->first, *price, t.buy ? t.best - t.distance : t.best + t.distance, seq});
        it = model_.erase(it);
        continue;
      }
      if (gain >= t.step) t.best = *price;
      ++it;
    }
  }

  std::mt19937_64 random_;
  Instruments instruments_;
  std::unique_ptr<Engine> engine_;
  int64_t mids_[2] = {100000, 100000};
  std::pair<std::optional<int64_t>, std::optional<int64_t>> quotes_[2];  // bid, ask
  std::map<uint64_t, PositionHandle> handles_;
  std::map<uint64_t, Trail> model_;
  uint64_t next_key_ = 0;
  int64_t sequence_ = 0;
};

}  // namespace

TEST(EngineDifferential, TrailingStopsMatchABruteForceScan) {
  vigil::test::PluginHarness harness("rule-trailing");
  auto rule = harness.create<vigil_rule_vtable>(VIGIL_KIND_RULE);
  EngineRule engine_rule{"rule-trailing", rule.vtable(), rule.instance()};
  size_t closes = 0;
  for (uint64_t seed = 1; seed <= 2000; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    TrailingScenario scenario(seed, engine_rule);
    scenario.run(300);
    ASSERT_EQ(scenario.engine_closes, scenario.model_closes);
    closes += scenario.engine_closes.size();
  }
  EXPECT_GT(closes, 10000u);  // the scenarios really trail and close positions
}
