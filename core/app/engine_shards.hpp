// The host's engines: `count` EngineShards, instrument i on shard
// i % count. Keeps, per shard, the engine handles of the positions it
// watches, so the workflow can name positions by key (EngineLink), and
// logs and counts what the engines close before handing it on.
//
// Ownership: owns the shards; `instruments` and `clock` must outlive it,
// and so must what `hand_on` reaches. Destroying it drains and joins
// every shard: after that no event is handed on.
// Threading: post(), link()'s functions and drain() from any thread;
// `hand_on` runs on the shard's thread (EngineShard).
// Errors: a position the engine refuses to watch is logged and reported
// with the failing rules; validate() answers the rules' refusal as text,
// and throws ApiError (500, rule_failed) when a rule fails instead.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/app/engine_shard.hpp"
#include "core/support/clock.hpp"
#include "core/support/metrics.hpp"
#include "core/workflow/workflow.hpp"

namespace vigil::core {

class EngineShards {
 public:
  EngineShards(const Instruments& instruments, const std::vector<EngineRule>& rules, size_t count, const Clock& clock,
               EngineShard::EventHandler on_events);

  void post(const ParsedTick& tick) { shard_of(tick.instrument).post(tick); }
  // watch, unwatch and validate of the workflow's EngineLink (market_price
  // is the caller's: the shards do not know prices).
  EngineLink link();
  // Blocks until every shard has run what was posted so far and handed on
  // its events.
  void drain();
  // Failures by rule, and the positions whose rules are failing now or
  // could not be attached (watched by nothing). Any thread.
  RuleFailures rule_failures() const;
  // vigil_close_events_total, vigil_rule_failures_total{rule},
  // vigil_position_rules_failing.
  void export_metrics(Metrics& metrics) const;

 private:
  EngineShard& shard_of(InstrumentId instrument) { return *shards_[instrument % shards_.size()]; }
  void watch(const NewPosition& position);
  void unwatch(uint64_t key, InstrumentId instrument);
  std::string validate(const NewPosition& position);
  void on_events(size_t shard, std::vector<CloseEvent>& events, std::vector<RuleUpdate>& updates);

  const Instruments& instruments_;
  const Clock& clock_;
  std::vector<std::string> rule_names_;
  EngineShard::EventHandler hand_on_;
  std::atomic<uint64_t> close_events_{0};
  // Engine handles of watched positions by key, one map per shard, each
  // touched only on its shard's thread.
  std::vector<std::unordered_map<uint64_t, PositionHandle>> handles_;
  // Positions whose rules could not be attached when they were to be
  // watched, by key, until unwatched.
  mutable std::mutex unwatched_mutex_;
  std::unordered_map<uint64_t, FailingRule> unwatched_;
  std::vector<std::unique_ptr<EngineShard>> shards_;  // last, so joined before the maps they use go
};

}  // namespace vigil::core
