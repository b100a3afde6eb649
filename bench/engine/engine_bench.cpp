// bench/engine: ticks through the breach engine (with the real rule-sltp
// plugin) against the original algorithm, a scan of every open position on
// every tick, on the same positions and ticks in the same process.
//
// Workloads, for 1k, 100k and 1M open positions on one instrument:
//   NoCross   a random walk that stays between the levels
//   Cross1pct one tick in a hundred crosses the nearest stop-loss (one
//             position closes); closed positions are re-added between
//             timed batches so the open count stays steady
//   Trailing  NoCross with rule-trailing on every position as well (each
//             position's stop trails its best price; a new best by one
//             point calls the rule, which moves two levels). The walk
//             ranges, so ratchets fire while it sets new extremes and
//             rarely after; the ratio against NoCross is what trailing
//             everywhere costs a ranging market.
// Per-tick latency is timed over batches of 64 ticks (a clock read costs
// about as much as a tick), so p50/p99 are of 64-tick averages.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>

#include "core/engine/engine.hpp"
#include "core/plugins/component.hpp"
#include "core/plugins/host_services.hpp"
#include "hosts/common/plugin_loader.hpp"

using namespace vigil::core;

namespace {

constexpr int kDigits = 8;                 // unique levels for a million positions
constexpr int64_t kMid = 110000000;        // 1.10000000
constexpr int64_t kWalkRange = 200000;     // the walk stays within mid +- this
constexpr int64_t kNearestLevel = 300000;  // levels start this far from mid
constexpr int kBatch = 64;
constexpr int kCrossEvery = 100;

struct TestPosition {
  bool buy;
  int64_t sl, tp;
};

// The same positions for the engine and the scan: sl/tp at unique distances.
std::vector<TestPosition> make_positions(int64_t n) {
  std::mt19937_64 random(42);
  std::vector<TestPosition> out;
  for (int64_t i = 0; i < n; ++i) {
    bool buy = i % 2 == 0;
    int64_t sl_distance = kNearestLevel + i, tp_distance = kNearestLevel + static_cast<int64_t>(random() % (4 * n + 1));
    out.push_back(buy ? TestPosition{true, kMid - sl_distance, kMid + tp_distance}
                      : TestPosition{false, kMid + sl_distance, kMid - tp_distance});
  }
  return out;
}

std::vector<int64_t> make_walk(size_t n) {
  std::mt19937_64 random(7);
  std::vector<int64_t> bids;
  int64_t bid = kMid;
  for (size_t i = 0; i < n; ++i) {
    bid += static_cast<int64_t>(random() % 201) - 100;
    bid = std::clamp(bid, kMid - kWalkRange, kMid + kWalkRange);
    bids.push_back(bid);
  }
  return bids;
}

// A real rule plugin, loaded once.
struct LoadedRule {
  explicit LoadedRule(const char* path, const char* name)
      : plugin(vigil::host::load_plugin(path)),
        services(name, metrics, nullptr),
        rule(static_cast<const vigil_rule_vtable*>(plugin.vtable(VIGIL_KIND_RULE)), name, "{}", services.table()) {}
  vigil::host::LoadedPlugin plugin;
  Metrics metrics;
  HostServices services;
  Component<vigil_rule_vtable> rule;
};

LoadedRule& sltp() {
  static LoadedRule instance(VIGIL_RULE_SLTP, "rule-sltp");
  return instance;
}

LoadedRule& trailing() {
  static LoadedRule instance(VIGIL_RULE_TRAILING, "rule-trailing");
  return instance;
}

// Trails by more than the walk's whole range, so no trailing stop closes.
constexpr const char* kTrailingParams = "{\"distance\":{\"points\":500000}}";

struct EngineFixture {
  Instruments instruments;
  InstrumentId id = instruments.add("EURUSD", kDigits);
  Engine engine{instruments,
                {{"rule-sltp", sltp().rule.vtable(), sltp().rule.instance()},
                 {"rule-trailing", trailing().rule.vtable(), trailing().rule.instance()}}};
  bool with_trailing = false;

  void add(uint64_t key, const TestPosition& p) {
    NewPosition n;
    n.key = key;
    n.id = "p" + std::to_string(key);
    n.instrument = id;
    n.side = p.buy ? Side::buy : Side::sell;
    n.volume = 1000000;
    n.entry_price = kMid;
    n.owner_sl = p.sl;
    n.owner_tp = p.tp;
    n.rules = {{0, "{}"}};
    if (with_trailing) n.rules.push_back({1, kTrailingParams});
    engine.add(n);
  }
};

std::map<std::string, double> g_ns_per_tick;  // for the ratio table at the end

void report(benchmark::State& state, std::vector<double>& batch_ns, double total_ns, size_t ticks,
            const std::string& key) {
  std::sort(batch_ns.begin(), batch_ns.end());
  state.counters["p50_ns"] = batch_ns[batch_ns.size() / 2];
  state.counters["p99_ns"] = batch_ns[batch_ns.size() * 99 / 100];
  state.SetItemsProcessed(static_cast<int64_t>(ticks));
  g_ns_per_tick[key] = total_ns / static_cast<double>(ticks);
}

void BM_Engine(benchmark::State& state, bool cross, bool with_trailing = false) {
  const int64_t n = state.range(0);
  auto positions = make_positions(n);
  EngineFixture f;
  f.with_trailing = with_trailing;
  for (int64_t i = 0; i < n; ++i) f.add(static_cast<uint64_t>(i), positions[i]);
  // Buy stop-losses from the nearest down: crossing tick j targets the j-th.
  std::vector<uint64_t> buys_by_nearest_sl;
  for (int64_t i = 0; i < n; i += 2) buys_by_nearest_sl.push_back(static_cast<uint64_t>(i));
  auto walk = make_walk(1 << 16);
  std::vector<CloseEvent> events;
  std::vector<double> batch_ns;
  double total_ns = 0;
  size_t ticks = 0, at = 0;
  if (with_trailing) {
    // The first pass over the walk is a storm of ratchets (every new
    // extreme moves the stop of every position on that side): timed apart,
    // so that the loop below measures the steady state.
    auto start = std::chrono::steady_clock::now();
    for (int64_t bid : walk) f.engine.on_tick(f.id, bid, bid + 200, 0, 0, events);
    double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
    state.counters["first_pass_ns_per_tick"] = ns / static_cast<double>(walk.size());
    if (!events.empty()) state.SkipWithError("a trailing stop closed during the first pass");
  }
  for (auto _ : state) {
    size_t crossings = 0;
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kBatch; ++i, ++at) {
      int64_t bid = walk[at % walk.size()];
      if (cross && at % kCrossEvery == 0) bid = positions[buys_by_nearest_sl[crossings++]].sl;
      f.engine.on_tick(f.id, bid, bid + 200, 0, 0, events);
    }
    double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
    batch_ns.push_back(ns / kBatch);
    total_ns += ns;
    ticks += kBatch;
    if (!events.empty()) {
      state.PauseTiming();
      for (const auto& e : events) f.add(e.key, positions[e.key]);
      events.clear();
      state.ResumeTiming();
    }
  }
  if (static_cast<int64_t>(f.engine.open_positions()) != n) state.SkipWithError("open positions drifted");
  state.counters["bytes_per_position"] = static_cast<double>(f.engine.memory_bytes()) / n;
  report(state, batch_ns, total_ns, ticks,
         std::string(with_trailing ? "Trailing/"
                     : cross       ? "Cross1pct/"
                                   : "NoCross/") +
             std::to_string(n));
}

// The original algorithm: every tick checks every open position.
void BM_Naive(benchmark::State& state, bool cross) {
  const int64_t n = state.range(0);
  auto positions = make_positions(n);
  std::vector<uint8_t> buy(n), open(n, 1);
  std::vector<int64_t> sl(n), tp(n);
  for (int64_t i = 0; i < n; ++i) buy[i] = positions[i].buy, sl[i] = positions[i].sl, tp[i] = positions[i].tp;
  auto walk = make_walk(1 << 16);
  std::vector<double> batch_ns;
  double total_ns = 0;
  size_t ticks = 0, at = 0;
  std::vector<int64_t> closed;
  for (auto _ : state) {
    size_t crossings = 0;
    auto start = std::chrono::steady_clock::now();
    for (int t = 0; t < kBatch; ++t, ++at) {
      int64_t bid = walk[at % walk.size()];
      if (cross && at % kCrossEvery == 0) bid = positions[2 * crossings++].sl;
      int64_t ask = bid + 200;
      for (int64_t i = 0; i < n; ++i) {
        int64_t price = buy[i] ? bid : ask;
        bool hit = buy[i] ? (price <= sl[i] || price >= tp[i]) : (price >= sl[i] || price <= tp[i]);
        if (hit && open[i]) open[i] = 0, closed.push_back(i);
      }
    }
    double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
    benchmark::DoNotOptimize(closed.data());
    batch_ns.push_back(ns / kBatch);
    total_ns += ns;
    ticks += kBatch;
    for (int64_t i : closed) open[i] = 1;
    closed.clear();
  }
  report(state, batch_ns, total_ns, ticks,
         std::string(cross ? "Cross1pct/" : "NoCross/") + std::to_string(n) + "/naive");
}

void BM_Engine_NoCross(benchmark::State& s) {
  BM_Engine(s, false);
}
void BM_Engine_Cross1pct(benchmark::State& s) {
  BM_Engine(s, true);
}
void BM_Engine_Trailing(benchmark::State& s) {
  BM_Engine(s, false, true);
}
void BM_Naive_NoCross(benchmark::State& s) {
  BM_Naive(s, false);
}
void BM_Naive_Cross1pct(benchmark::State& s) {
  BM_Naive(s, true);
}

BENCHMARK(BM_Engine_NoCross)->Arg(1000)->Arg(100000)->Arg(1000000)->MinTime(0.5);
BENCHMARK(BM_Engine_Cross1pct)->Arg(1000)->Arg(100000)->Arg(1000000)->MinTime(0.5);
// 1M trailing positions: the first pass alone takes minutes (bench/README.md).
BENCHMARK(BM_Engine_Trailing)->Arg(1000)->Arg(100000)->MinTime(0.5);
BENCHMARK(BM_Naive_NoCross)->Arg(1000)->Arg(100000)->MinTime(0.3);
BENCHMARK(BM_Naive_NoCross)->Arg(1000000)->Iterations(8);
BENCHMARK(BM_Naive_Cross1pct)->Arg(1000)->Arg(100000)->MinTime(0.3);
BENCHMARK(BM_Naive_Cross1pct)->Arg(1000000)->Iterations(8);

void print_trailing_cost() {
  std::printf("\ntrailing stops on every position against rule-sltp alone (ns per tick, same walk):\n");
  for (const auto& [key, ns] : g_ns_per_tick) {
    if (key.rfind("Trailing/", 0) != 0) continue;
    auto base = g_ns_per_tick.find("NoCross/" + key.substr(9));
    if (base == g_ns_per_tick.end()) continue;
    std::printf("  %-18s trailing %8.1f ns  sltp only %8.1f ns  ratio %5.2fx\n", key.c_str(), ns, base->second,
                ns / base->second);
  }
}

void print_ratios() {
  std::printf("\nengine speed-up over the naive scan (ns per tick, same ticks, same positions):\n");
  for (const auto& [key, engine_ns] : g_ns_per_tick) {
    if (key.find("/naive") != std::string::npos) continue;
    auto naive = g_ns_per_tick.find(key + "/naive");
    if (naive == g_ns_per_tick.end()) continue;
    std::printf("  %-18s engine %10.1f ns  naive %12.1f ns  ratio %9.0fx\n", key.c_str(), engine_ns, naive->second,
                naive->second / engine_ns);
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  print_ratios();
  print_trailing_cost();
  return 0;
}
