// Commits whose outcome is unknown. A store that fails as unavailable may
// have committed all the same: PostgreSQL stopping while a COMMIT is on the
// wire leaves "whether the group was written is unknown". The workflow
// changes its memory only after a commit succeeds, so such a group, had it
// landed, leaves memory one version behind the store: every later update of
// those rows would then conflict for good (an EA whose poll can never be
// stored again; a breach whose close command is refused as a second one,
// holding back every close batched with it). So the rows of a group that
// failed as unavailable are read back once the store answers again, and
// memory takes what the store holds where the store is ahead.
#include <type_traits>

#include "core/support/log.hpp"
#include "core/workflow/rule_states.hpp"
#include "core/workflow/workflow.hpp"

namespace vigil::core {

void Workflow::apply_locked(const WriteBatch& batch) {
  try {
    store_.apply(batch);
  } catch (const StoreError& e) {
    if (e.status() == VIGIL_UNAVAILABLE) note_doubt_locked(batch);
    throw;
  }
}

void Workflow::note_doubt_locked(const WriteBatch& batch) {
  batch.each_row([this](const auto& row) {
    using Row = std::decay_t<decltype(row)>;
    if constexpr (std::is_same_v<Row, PositionRow>) doubted_positions_.insert(row.id);
    if constexpr (std::is_same_v<Row, CommandRow>) doubted_commands_.insert(row.id);
    if constexpr (std::is_same_v<Row, DeviceRow>) doubted_devices_.insert(row.id);
  });
  in_doubt_ = true;
}

// Cheap when nothing is in doubt. While the store is still down the first
// read fails and the rest waits for the next call or maintenance tick.
void Workflow::resolve_doubts_locked(int64_t now, std::set<std::string>& woken) {
  if (!in_doubt_) return;
  try {
    for (auto it = doubted_devices_.begin(); it != doubted_devices_.end(); it = doubted_devices_.erase(it))
      for (DeviceRow& d : store_.query<DeviceRow>(*it))
        if (!devices_.count(d.id)) devices_[d.id] = {d, now};
    // Positions first: adopting a command looks at its position.
    for (auto it = doubted_positions_.begin(); it != doubted_positions_.end(); it = doubted_positions_.erase(it))
      for (PositionRow& p : store_.query<PositionRow>(*it)) adopt_position_locked(p);
    for (auto it = doubted_commands_.begin(); it != doubted_commands_.end(); it = doubted_commands_.erase(it))
      for (CommandRow& c : store_.query<CommandRow>(*it)) adopt_command_locked(c, now, woken);
  } catch (const std::exception& e) {
    log(LogLevel::debug, "workflow", std::string("commits in doubt not read back yet: ") + e.what());
  }
  in_doubt_ = !doubted_devices_.empty() || !doubted_positions_.empty() || !doubted_commands_.empty();
}

void Workflow::adopt_position_locked(const PositionRow& stored) {
  bool finished = stored.state == "closed" || stored.state == "rejected";
  auto it = positions_.find(stored.id);
  if (it == positions_.end() ? finished : stored.version <= it->second.row.version) return;
  log(LogLevel::warn, "workflow",
      "position " + stored.id + ": a commit reported as failed was stored; memory follows the store (" + stored.state +
          ")");
  std::string was = it == positions_.end() ? "" : it->second.row.state;
  if (it == positions_.end()) {  // inserted by a signal whose answer was a 503
    std::vector<SignalRow> signal = store_.query<SignalRow>(stored.signal_id);
    it = positions_.emplace(stored.id, LivePosition{stored, 0, signal.empty() ? "{}" : signal[0].rules_json, {}}).first;
  }
  LivePosition& live = it->second;
  bool watched = live.key && position_by_key_.count(live.key);
  if (watched && stored.state != "open") {  // a manual close took it off its engine
    engines_.unwatch(live.key, *instruments_.find(stored.instrument));
    position_by_key_.erase(live.key);
  }
  if (finished) {
    positions_.erase(it);
    return;
  }
  live.row = stored;
  live.rule_states = rule_states_of(stored);
  if (stored.state == "open" && was != "open") {  // the execution ack was stored: watch it
    live.key = next_key_++;
    position_by_key_[live.key] = stored.id;
    engines_.watch(engine_position(live));
  }
}

void Workflow::adopt_command_locked(const CommandRow& stored, int64_t now, std::set<std::string>& woken) {
  bool live = stored.status == "pending" || stored.status == "acknowledged";
  auto it = commands_.find(stored.id);
  if (it == commands_.end() ? !live : stored.version <= it->second.version) return;
  log(LogLevel::warn, "workflow",
      "close command " + stored.id + ": a commit reported as failed was stored; memory follows the store (" +
          stored.status + ")");
  if (live) {  // issued after all: delivered, and not issued a second time
    if (it == commands_.end()) ++commands_issued_;
    commands_[stored.id] = stored;
    pending_closes_.erase(stored.position_id);
    woken.insert(stored.device_id);
    return;
  }
  commands_.erase(it);
  alerted_commands_.erase(stored.id);
  // Failed or expired: the position, still to be closed, gets a new one.
  if (stored.status != "executed" && positions_.count(stored.position_id) &&
      !has_live_command_locked(stored.position_id))
    pending_closes_[stored.position_id] = {stored, now};
}

}  // namespace vigil::core
