// The EA's result of a close command (docs/http-api.md, close-ack):
// executed closes the position (or part of it), failed schedules a new
// command with backoff. The answer is a function of the stored rows alone,
// so the same close-ack gets the same answer however often it is repeated.
#include "core/workflow/amounts.hpp"
#include "core/workflow/api_error.hpp"
#include "core/workflow/audit_detail.hpp"
#include "core/workflow/field_text.hpp"
#include "core/workflow/transitions.hpp"
#include "core/workflow/workflow.hpp"

namespace vigil::core {
namespace {

// What the command's result left the position in: a failed full close
// leaves it closing (a new command follows), a failed partial one open; an
// executed full close closes it, a partial one leaves it open unless it took
// the rest (then the position was closed at the command's execution time).
PositionState position_state_after(const CommandRow& c, const PositionRow* position) {
  bool full = c.volume.empty();
  if (c.status != CommandStatus::executed) return full ? PositionState::closing : PositionState::open;
  bool took_the_rest = position && position->state == PositionState::closed && position->closed_at == c.executed_at;
  return full || took_the_rest ? PositionState::closed : PositionState::open;
}

CloseAckAnswer answer(const CommandRow& c, const PositionRow* position) {
  return {c.id, c.status, position_state_after(c, position)};
}

}  // namespace

CloseAckAnswer Workflow::close_ack(const std::string& device_id, const CloseAckRequest& request) {
  const std::string& command_id = request.command_id;
  ClientBook& b = book_of_caller(device_id);
  return with_book(b, [&](int64_t now, std::set<std::string>&) {
    active_device_locked(b, device_id, now);
    CommandRow* live = b.command(command_id);
    if (!live || !b.answers_for(device_id, live->device_id)) return finished_close_ack_locked(b, device_id, request);
    if (live->status == CommandStatus::pending)
      throw ApiError(
          VIGIL_CONFLICT, "not_delivered",
          "close command " + command_id + " was never delivered to this device; fetch close-commands first.");
    LivePosition* position = b.position(live->position_id);
    if (!position) throw ApiError(VIGIL_INTERNAL, "internal", "close command " + command_id + " has no live position");
    int digits = digits_of(position->row.instrument);
    WriteBatch batch;
    if (request.result == CommandStatus::failed) {
      CommandRow failed = advanced(*live, CommandStatus::failed, now);
      failed.broker_deal = request.broker_deal.value_or("");
      failed.error_message = request.error_message.value_or("failed at the broker");
      batch.update(failed).audit(now, "command", failed.id, "failed",
                                 AuditDetail().text("error_message", failed.error_message).json());
      commit_locked(b, batch);
      b.end_command(failed.id);
      // Retried with backoff while the position is still to be closed.
      b.schedule_close(position->row.id, {failed, retry_at(failed)});
      ++closes_failed_;
      return answer(failed, &position->row);
    }
    int64_t price = required_decimal_field("actual_close_price", request.actual_close_price, digits);
    if (price <= 0) throw invalid_field("actual_close_price", "must be greater than zero");
    CommandRow executed = advanced(*live, CommandStatus::executed, now);
    executed.broker_deal = request.broker_deal.value_or("");
    executed.executed_at = now;
    executed.actual_close_price = sdk::format_decimal(price, digits);
    batch.update(executed).audit(now, "command", executed.id, "executed",
                                 AuditDetail()
                                     .text("actual_close_price", executed.actual_close_price)
                                     .text("expected_price", executed.expected_price)
                                     .text("level", executed.level)
                                     .text("broker_deal", executed.broker_deal)
                                     .json());
    int64_t remaining = stored_decimal(position->row.filled_volume, kVolumeDigits);
    int64_t closed =
        executed.volume.empty() ? remaining : std::min(remaining, stored_decimal(executed.volume, kVolumeDigits));
    if (closed < remaining) {  // a partial close: the rest stays open
      PositionRow rest = touched(position->row, now);
      rest.filled_volume = format_volume(remaining - closed);
      batch.update(rest).audit(
          now, "position", rest.id, "partially_closed",
          AuditDetail().text("reason", executed.reason).text("filled_volume", rest.filled_volume).json());
      commit_locked(b, batch);
      b.end_command(executed.id);
      b.update_position(*position, rest);
      return answer(executed, &rest);
    }
    PositionRow final_row = advanced(position->row, PositionState::closed, now);
    final_row.close_price = executed.actual_close_price;
    final_row.close_reason = executed.reason;
    final_row.closed_at = now;
    end_rows_locked(b, final_row, "closed",
                    AuditDetail().text("reason", executed.reason).text("filled_volume", final_row.filled_volume).json(),
                    executed.id, "", now, batch);
    commit_locked(b, batch);
    forget_locked(b, final_row.id);
    return answer(executed, &final_row);
  });
}

// A close-ack for a command no longer live: finished already (the same
// result gets the same answer), expired (a late execution), or not this
// device's (404, its existence is not revealed).
CloseAckAnswer Workflow::finished_close_ack_locked(ClientBook& b, const std::string& device_id,
                                                   const CloseAckRequest& request) {
  std::vector<CommandRow> stored = store_.query<CommandRow>(request.command_id);
  if (stored.empty() || !b.answers_for(device_id, stored[0].device_id))
    throw not_found("close command " + request.command_id);
  const CommandRow& c = stored[0];
  if (c.status == CommandStatus::expired && request.result == CommandStatus::executed)
    return late_execution_locked(b, c, request);
  if (c.status != request.result)
    throw ApiError(VIGIL_CONFLICT, "conflicting_close_ack",
                   "The close command already ended as " + std::string(name(c.status)) + ".");
  std::vector<PositionRow> position = store_.query<PositionRow>(c.position_id);
  return answer(c, position.empty() ? nullptr : &position[0]);
}

// An EA that closed at the broker after its command expired: the close is
// real, so the position closes and its re-issued command ends (else the EA
// would be asked to close a ticket that is already gone).
CloseAckAnswer Workflow::late_execution_locked(ClientBook& b, const CommandRow& expired,
                                               const CloseAckRequest& request) {
  auto late_answer = [&] { return CloseAckAnswer{expired.id, CommandStatus::executed, PositionState::closed}; };
  LivePosition* live = b.position(expired.position_id);
  if (!live) {
    if (!expired.actual_close_price.empty()) return late_answer();  // the same late result again
    throw ApiError(VIGIL_CONFLICT, "conflicting_close_ack", "The position was already closed by another command.");
  }
  int64_t now = clock_();
  int digits = digits_of(live->row.instrument);
  int64_t price = required_decimal_field("actual_close_price", request.actual_close_price, digits);
  if (price <= 0) throw invalid_field("actual_close_price", "must be greater than zero");
  CommandRow recorded = touched(expired, now);  // stays expired: its result is recorded
  recorded.actual_close_price = sdk::format_decimal(price, digits);
  recorded.broker_deal = request.broker_deal.value_or("");
  recorded.executed_at = now;
  recorded.error_message = "executed at the broker after it expired";
  PositionRow final_row = advanced(live->row, PositionState::closed, now);
  final_row.close_price = recorded.actual_close_price;
  final_row.close_reason = recorded.reason;
  final_row.closed_at = now;
  WriteBatch batch;
  batch.update(recorded).audit(now, "command", recorded.id, "executed_late",
                               AuditDetail().text("actual_close_price", recorded.actual_close_price).json());
  end_rows_locked(b, final_row, "closed", AuditDetail().text("reason", final_row.close_reason).json(), "",
                  "the position was closed by the late result of command " + expired.id, now, batch);
  commit_locked(b, batch);
  forget_locked(b, final_row.id);
  return late_answer();
}

}  // namespace vigil::core
