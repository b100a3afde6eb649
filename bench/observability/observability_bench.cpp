// bench/observability: what the timings of #17 cost where they sit, each
// against the same work untimed, in the same process (interleaved
// repetitions, medians):
//   rule callbacks  a position's life in the engine with the real rule-sltp:
//                   added (attach), one tick crossing its stop (on_trigger),
//                   closed; with EngineRule's histograms set, and without
//   tick stamp      Engine::on_tick over 10,000 open positions, the tick
//                   stamped as the Application stamps it (a copy and a
//                   steady-clock read), and not
//   call scope      what the host adds to every application call (reading
//                   params.request_id, a LogScope with it and the device),
//                   against reading the params of an ack, which every ack does
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "core/app/tick_intake.hpp"
#include "core/engine/engine.hpp"
#include "core/plugins/component.hpp"
#include "core/plugins/host_services.hpp"
#include "core/support/json_fields.hpp"
#include "core/support/log.hpp"
#include "core/support/metrics.hpp"
#include "hosts/common/plugin_loader.hpp"

using namespace vigil::core;

namespace {

constexpr int kRepetitions = 7;
constexpr int kPositions = 10000;
constexpr int64_t kMid = 110000;  // 1.10000, 5 digits

struct LoadedRule {
  LoadedRule()
      : plugin(vigil::host::load_plugin(VIGIL_RULE_SLTP)),
        services("rule-sltp", metrics, nullptr),
        rule(static_cast<const vigil_rule_vtable*>(plugin.vtable(VIGIL_KIND_RULE)), "rule-sltp", "{}",
             services.table()) {}
  vigil::host::LoadedPlugin plugin;
  Metrics metrics;
  HostServices services;
  Component<vigil_rule_vtable> rule;
};

double seconds_of(const std::function<void()>& work) {
  auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

NewPosition buy(uint64_t key, InstrumentId instrument, int64_t sl) {
  NewPosition n;
  n.key = key;
  n.id = "p" + std::to_string(key);
  n.instrument = instrument;
  n.side = Side::buy;
  n.volume = 100;
  n.entry_price = kMid;
  n.owner_sl = sl;
  n.owner_tp = kMid + 5000;
  n.rules = {{0, "{}"}};
  return n;
}

// Seconds for kPositions lives: add, a tick through the stop, closed.
double position_lives(Engine& engine, InstrumentId instrument) {
  std::vector<CloseEvent> events;
  return seconds_of([&] {
    for (uint64_t key = 0; key < kPositions; ++key) {
      engine.add(buy(key, instrument, kMid - 100));
      engine.on_tick(instrument, kMid - 100, kMid - 98, 0, -1, events);
      engine.on_tick(instrument, kMid, kMid + 2, 0, -1, events);
    }
  });
}

struct Fixture {
  Instruments instruments;
  InstrumentId id = instruments.add("EURUSD", 5);
};

void rule_callbacks(LoadedRule& rule, Metrics& metrics) {
  std::vector<double> plain, timed;
  EngineRule untimed{"rule-sltp", rule.rule.vtable(), rule.rule.instance()};
  EngineRule with_timing = untimed;
  with_timing.attach_seconds = &metrics.histogram(R"(vigil_rule_callback_duration_seconds{callback="attach"})");
  with_timing.on_trigger_seconds = &metrics.histogram(R"(vigil_rule_callback_duration_seconds{callback="trigger"})");
  for (int r = 0; r < kRepetitions; ++r) {
    Fixture a, b;
    Engine without(a.instruments, {untimed}), with(b.instruments, {with_timing});
    plain.push_back(position_lives(without, a.id));
    timed.push_back(position_lives(with, b.id));
  }
  double p = median(plain) / kPositions * 1e9, t = median(timed) / kPositions * 1e9;
  std::printf("rule callbacks  ns per position life: untimed %8.1f  timed %8.1f  timed / untimed %.3f  (+%.1f ns)\n", p,
              t, t / p, t - p);
}

void tick_stamp(LoadedRule& rule) {
  Fixture f;
  Engine engine(f.instruments, {{"rule-sltp", rule.rule.vtable(), rule.rule.instance()}});
  for (uint64_t key = 0; key < kPositions; ++key) engine.add(buy(key, f.id, kMid - 1000 - static_cast<int64_t>(key)));
  std::mt19937_64 random(7);
  std::vector<ParsedTick> ticks;
  for (int i = 0; i < 200000; ++i) {
    int64_t bid = kMid + static_cast<int64_t>(random() % 201) - 100;
    ticks.push_back({f.id, bid, bid + 2, 0, i});
  }
  std::vector<CloseEvent> events;
  std::vector<double> plain, stamped;
  int64_t sink = 0;
  for (int r = 0; r < kRepetitions; ++r) {
    plain.push_back(seconds_of([&] {
      for (const ParsedTick& t : ticks) engine.on_tick(t.instrument, t.bid, t.ask, t.time_unix_ms, t.sequence, events);
    }));
    stamped.push_back(seconds_of([&] {
      for (const ParsedTick& t : ticks) {
        ParsedTick accepted = t;
        accepted.accepted_ns = monotonic_ns();
        engine.on_tick(accepted.instrument, accepted.bid, accepted.ask, accepted.time_unix_ms, accepted.sequence,
                       events);
        sink += accepted.accepted_ns;
      }
    }));
  }
  if (!events.empty() || sink == 0) std::printf("(unexpected: a position closed)\n");
  double p = median(plain) / static_cast<double>(ticks.size()) * 1e9;
  double s = median(stamped) / static_cast<double>(ticks.size()) * 1e9;
  std::printf("tick stamp      ns per tick, %d positions: engine %6.1f  engine + stamp %6.1f  ratio %.3f  (+%.1f ns)\n",
              kPositions, p, s, s / p, s - p);
}

void call_scope() {
  const std::string params = R"({"request_id":"4f65ede800000002"})";
  const std::string ack =
      R"({"position_id":"pos_8e03e6d67cc59b5b72fc88bcb2e38053","status":"executed","execution_id":"x-1",)"
      R"("broker_ticket":"9007199254740993","actual_entry_price":"1.10002","filled_volume":"1"})";
  constexpr int kCalls = 200000;
  std::vector<double> base, added;
  size_t sink = 0;
  for (int r = 0; r < kRepetitions; ++r) {
    base.push_back(seconds_of([&] {
      for (int i = 0; i < kCalls; ++i) sink += parse_json_fields(ack).size();
    }));
    added.push_back(seconds_of([&] {
      for (int i = 0; i < kCalls; ++i) {
        JsonFields fields = parse_json_fields(params);
        LogScope scope({{"request_id", fields["request_id"].text}, {"device_id", "dev_4104083b4e4e41777e"}});
        sink += fields.size();
      }
    }));
  }
  double b = median(base) / kCalls * 1e9, a = median(added) / kCalls * 1e9;
  std::printf("call scope      ns per call: reading an ack's body %7.1f  request id + LogScope %7.1f  ratio %.3f\n", b,
              a, a / b);
  if (sink == 0) std::printf("(unexpected)\n");
}

}  // namespace

int main() {
  LoadedRule rule;
  Metrics metrics;
  std::printf("%d interleaved repetitions, medians\n", kRepetitions);
  rule_callbacks(rule, metrics);
  tick_stamp(rule);
  call_scope();
  return 0;
}
