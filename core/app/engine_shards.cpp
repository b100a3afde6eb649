#include "core/app/engine_shards.hpp"

#include <future>

#include "core/support/log.hpp"
#include "core/workflow/api_error.hpp"
#include "vigil/cpp/decimal.hpp"

namespace vigil::core {

EngineShards::EngineShards(const Instruments& instruments, const std::vector<EngineRule>& rules, size_t count,
                           const Clock& clock, EngineShard::EventHandler hand_on)
    : instruments_(instruments), clock_(clock), hand_on_(std::move(hand_on)), handles_(count == 0 ? 1 : count) {
  for (const EngineRule& rule : rules) rule_names_.push_back(rule.name);
  for (size_t i = 0; i < handles_.size(); ++i)
    shards_.push_back(std::make_unique<EngineShard>(
        instruments_, rules, clock, [this, i](std::vector<CloseEvent>& events, std::vector<RuleUpdate>& updates) {
          on_events(i, events, updates);
        }));
}

EngineLink EngineShards::link() {
  EngineLink link;
  link.watch = [this](const NewPosition& position) { watch(position); };
  link.unwatch = [this](uint64_t key, InstrumentId instrument) { unwatch(key, instrument); };
  link.validate = [this](const NewPosition& position) { return validate(position); };
  link.failing_rules = [this] { return rule_failures().failing; };
  return link;
}

void EngineShards::watch(const NewPosition& position) {
  size_t shard = position.instrument % shards_.size();
  shards_[shard]->post([this, shard, position](Engine& engine) {
    try {
      handles_[shard][position.key] = engine.add(position);
    } catch (const std::exception& e) {
      // Its levels are watched by nothing: as loud as a rule failing.
      log(LogLevel::error, "engine", std::string("position not watched: ") + e.what());
      std::lock_guard lock(unwatched_mutex_);
      unwatched_[position.key] = {position.key, position.id, "attach", 1, clock_.now_ms(), e.what()};
    }
  });
}

void EngineShards::unwatch(uint64_t key, InstrumentId instrument) {
  size_t shard = instrument % shards_.size();
  shards_[shard]->post([this, shard, key](Engine& engine) {
    auto it = handles_[shard].find(key);
    if (it == handles_[shard].end()) {
      std::lock_guard lock(unwatched_mutex_);
      unwatched_.erase(key);
      return;
    }
    engine.remove(it->second);
    handles_[shard].erase(it);
  });
}

// Attaches the rules to a probe copy of the position on its shard and takes
// it off again: the rules' own verdict, before anything is stored.
std::string EngineShards::validate(const NewPosition& position) {
  auto verdict = std::make_shared<std::promise<std::string>>();
  std::future<std::string> answer = verdict->get_future();
  NewPosition probe = position;
  probe.key = UINT64_MAX;
  probe.opened_at_unix_ms = INT64_MAX;  // never armed
  shard_of(position.instrument).post([probe, verdict](Engine& engine) {
    try {
      engine.remove(engine.add(probe));
      verdict->set_value("");
    } catch (const PositionRejected& e) {
      verdict->set_value(e.what());
    } catch (...) {
      verdict->set_exception(std::current_exception());
    }
  });
  try {
    return answer.get();
  } catch (const std::exception& e) {
    // The rule's own failure, not the signal's: the operator gets a 500 and
    // the log says which rule.
    log(LogLevel::error, "engine", std::string("checking a signal's levels: ") + e.what());
    throw ApiError(VIGIL_INTERNAL, "rule_failed",
                   "A rule failed while checking the signal's levels; the server log names it.");
  }
}

void EngineShards::drain() {
  for (auto& shard : shards_) shard->drain();
}

RuleFailures EngineShards::rule_failures() const {
  RuleFailures out{std::vector<uint64_t>(rule_names_.size(), 0), {}};
  for (const auto& shard : shards_) {
    RuleFailures one = shard->rule_failures();
    for (size_t r = 0; r < one.by_rule.size() && r < out.by_rule.size(); ++r) out.by_rule[r] += one.by_rule[r];
    out.failing.insert(out.failing.end(), one.failing.begin(), one.failing.end());
  }
  std::lock_guard lock(unwatched_mutex_);
  for (const auto& [key, failing] : unwatched_) out.failing.push_back(failing);
  return out;
}

void EngineShards::export_metrics(Metrics& metrics) const {
  metrics.set_counter("vigil_close_events_total", static_cast<double>(close_events_.load()));
  RuleFailures failures = rule_failures();
  for (size_t r = 0; r < rule_names_.size(); ++r)
    metrics.set_counter("vigil_rule_failures_total{rule=\"" + rule_names_[r] + "\"}",
                        static_cast<double>(failures.by_rule[r]));
  metrics.set("vigil_position_rules_failing", static_cast<double>(failures.failing.size()));
}

void EngineShards::on_events(size_t shard, std::vector<CloseEvent>& events, std::vector<RuleUpdate>& updates) {
  for (const CloseEvent& e : events) {
    ++close_events_;
    const Instrument& i = instruments_.get(e.instrument);
    if (!e.target_id.empty()) {  // the workflow closes the other position and unwatches it
      log(LogLevel::info, "engine",
          "close position " + e.target_id + ": " + e.reason + " (asked by position " + std::to_string(e.key) + ")");
      continue;
    }
    if (e.volume == 0) handles_[shard].erase(e.key);  // the engine forgot it
    log(LogLevel::info, "engine",
        "close " + i.symbol + " position " + std::to_string(e.key) + ": " + e.reason + " at " +
            sdk::format_decimal(e.price, i.digits));
  }
  hand_on_(events, updates);
}

}  // namespace vigil::core
