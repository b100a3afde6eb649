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
#include "core/workflow/api_error.hpp"
#include "core/workflow/rule_states.hpp"
#include "core/workflow/workflow.hpp"

namespace vigil::core {
namespace {

void note_doubt(ClientBook& b, const WriteBatch& batch) {
  batch.each_row([&b](const auto& row) {
    using Row = std::decay_t<decltype(row)>;
    if constexpr (std::is_same_v<Row, PositionRow>) b.doubted_positions.insert(row.id);
    if constexpr (std::is_same_v<Row, CommandRow>) b.doubted_commands.insert(row.id);
    if constexpr (std::is_same_v<Row, DeviceRow>) b.doubted_devices.insert(row.id);
  });
}

bool finished(PositionState s) {
  return s == PositionState::closed || s == PositionState::rejected;
}

}  // namespace

void Workflow::apply_locked(ClientBook& b, const WriteBatch& batch) {
  try {
    std::optional<FenceRow> fence = ownership_ ? ownership_->fence_of(b.client_id()) : std::nullopt;
    store_.apply(batch, fence ? &*fence : nullptr);
    reads_.take(batch);
  } catch (const StoreError& e) {
    if (e.status() == VIGIL_UNAVAILABLE) note_doubt(b, batch);
    throw;
  }
}

void Workflow::commit_locked(ClientBook& b, const WriteBatch& batch) {
  try {
    apply_locked(b, batch);
  } catch (const StoreError& e) {
    if (e.conflict())
      throw ApiError(VIGIL_CONFLICT, "conflict", "The request conflicts with a change made meanwhile; retry.");
    throw;
  }
}

// Cheap when nothing is in doubt. While the store is still down the first
// read fails and the rest waits for the next call or maintenance tick.
void Workflow::resolve_doubts_locked(ClientBook& b, int64_t now, std::set<std::string>& woken) {
  if (!b.in_doubt()) return;
  try {
    for (auto it = b.doubted_devices.begin(); it != b.doubted_devices.end(); it = b.doubted_devices.erase(it))
      for (DeviceRow& d : store_.query<DeviceRow>(*it))
        if (reads_.put(d); !b.device(d.id)) {
          b.add_device(d, now);
          register_device(b, d);
        }
    // Positions first: adopting a command looks at its position.
    for (auto it = b.doubted_positions.begin(); it != b.doubted_positions.end(); it = b.doubted_positions.erase(it))
      for (PositionRow& p : store_.query<PositionRow>(*it)) {
        reads_.put(p);
        adopt_position_locked(b, p);
      }
    for (auto it = b.doubted_commands.begin(); it != b.doubted_commands.end(); it = b.doubted_commands.erase(it))
      for (CommandRow& c : store_.query<CommandRow>(*it)) {
        reads_.put(c);
        adopt_command_locked(b, c, now, woken);
      }
  } catch (const std::exception& e) {
    log(LogLevel::debug, "workflow", std::string("commits in doubt not read back yet: ") + e.what());
  }
}

void Workflow::adopt_position_locked(ClientBook& b, const PositionRow& stored, bool followed) {
  LivePosition* live = b.position(stored.id);
  if (live ? stored.version <= live->row.version : finished(stored.state)) return;
  if (!followed)
    log(LogLevel::warn, "workflow",
        "position " + stored.id + ": a commit reported as failed was stored; memory follows the store (" +
            std::string(name(stored.state)) + ")");
  if (finished(stored.state)) {
    forget_locked(b, stored.id);
    return;
  }
  bool was_open = live && live->row.state == PositionState::open;
  if (!live) {  // inserted by a signal whose answer was a 503
    std::vector<SignalRow> signal = store_.query<SignalRow>(stored.signal_id);
    live = &b.add_position({stored, 0, rules_of(signal.empty() ? "{}" : signal[0].rules_json), {}});
  }
  if (live->key && stored.state != PositionState::open) unwatch_locked(b, *live);  // a manual close took it off
  b.update_position(*live, stored);
  live->rule_states = rule_states_of(stored);
  if (stored.state == PositionState::open && !was_open) watch_locked(b, *live);  // its execution ack was stored
}

void Workflow::adopt_command_locked(ClientBook& b, const CommandRow& stored, int64_t now, std::set<std::string>& woken,
                                    bool followed) {
  CommandRow* known = b.command(stored.id);
  if (known ? stored.version <= known->version : !is_live(stored.status)) return;
  if (!followed)
    log(LogLevel::warn, "workflow",
        "close command " + stored.id + ": a commit reported as failed was stored; memory follows the store (" +
            std::string(name(stored.status)) + ")");
  if (is_live(stored.status)) {
    if (!known) {  // issued after all: delivered, and not issued a second time
      ++commands_issued_;
      // Only the close it was issued for: a full close waiting behind a
      // partial one stays due.
      auto due = b.pending_closes.find(stored.position_id);
      if (due != b.pending_closes.end() && due->second.basis.volume == stored.volume) b.pending_closes.erase(due);
    }
    b.put_command(stored);
    b.wake_for(stored.device_id, woken);
    return;
  }
  b.end_command(stored.id);
  // Failed or expired: the position, still to be closed, gets a new one,
  // a failed close after the same backoff as where the EA reported it (the
  // host that issues it may not be the one the EA called).
  if (stored.status != CommandStatus::executed && b.position(stored.position_id) &&
      !b.live_command_of(stored.position_id))
    b.schedule_close(stored.position_id, {stored, stored.status == CommandStatus::failed ? retry_at(stored) : now});
}

}  // namespace vigil::core
