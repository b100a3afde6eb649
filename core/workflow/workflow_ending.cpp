// How a position ends — executed close, late result of an expired command,
// closed at the broker outside Vigil, rejected by its EA — written once.
#include "core/workflow/audit_detail.hpp"
#include "core/workflow/transitions.hpp"
#include "core/workflow/workflow.hpp"

namespace vigil::core {

// `kept_command` is the command whose own result ends the position (it is
// written by the caller); any other live command of the position expires,
// or its EA would be asked to close a ticket that is already gone.
void Workflow::end_rows_locked(ClientBook& b, const PositionRow& final_row, const std::string& audit_action,
                               const std::string& audit_detail, const std::string& kept_command, const std::string& why,
                               int64_t now, WriteBatch& batch) {
  batch.update(final_row).audit(now, "position", final_row.id, audit_action, audit_detail);
  const CommandRow* live = b.live_command_of(final_row.id);
  if (!live || live->id == kept_command) return;
  CommandRow ended = advanced(*live, CommandStatus::expired, now);
  ended.error_message = why;
  batch.update(ended).audit(now, "command", ended.id, "expired", AuditDetail().text("reason", why).json());
}

void Workflow::forget_locked(ClientBook& b, const std::string& position_id) {
  LivePosition* live = b.position(position_id);
  if (!live) return;
  if (live->key) unwatch_locked(b, *live);
  if (const CommandRow* command = b.live_command_of(position_id)) b.end_command(command->id);
  b.end_position(position_id);
}

void Workflow::watch_locked(ClientBook& b, LivePosition& live) {
  if (live.key || !acts_for(b)) return;  // watched already, or by the host holding the client's shard
  b.assign_key(live);
  engines_.watch(engine_position(live));
}

void Workflow::unwatch_locked(ClientBook& b, LivePosition& live) {
  if (!live.key) return;
  engines_.unwatch(live.key, *instruments_.find(live.row.instrument));
  b.drop_key(live);
}

}  // namespace vigil::core
