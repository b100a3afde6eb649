#include "core/app/engine_shards.hpp"

#include <future>

#include "core/support/log.hpp"
#include "vigil/cpp/decimal.hpp"

namespace vigil::core {

EngineShards::EngineShards(const Instruments& instruments, const std::vector<EngineRule>& rules, size_t count,
                           const Clock& clock, EngineShard::EventHandler hand_on)
    : instruments_(instruments), hand_on_(std::move(hand_on)), handles_(count == 0 ? 1 : count) {
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
  return link;
}

void EngineShards::watch(const NewPosition& position) {
  size_t shard = position.instrument % shards_.size();
  shards_[shard]->post([this, shard, position](Engine& engine) {
    try {
      handles_[shard][position.key] = engine.add(position);
    } catch (const PositionRejected& e) {
      log(LogLevel::error, "engine", std::string("position not watched: ") + e.what());
    }
  });
}

void EngineShards::unwatch(uint64_t key, InstrumentId instrument) {
  size_t shard = instrument % shards_.size();
  shards_[shard]->post([this, shard, key](Engine& engine) {
    auto it = handles_[shard].find(key);
    if (it == handles_[shard].end()) return;
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
    } catch (const std::exception& e) {
      verdict->set_value(e.what());
    }
  });
  return answer.get();
}

void EngineShards::drain() {
  for (auto& shard : shards_) shard->drain();
}

void EngineShards::export_metrics(Metrics& metrics) const {
  metrics.set_counter("vigil_close_events_total", static_cast<double>(close_events_.load()));
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
