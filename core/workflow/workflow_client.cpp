// The EA operations of the workflow (docs/http-api.md). Every answer is
// built from ea_views.hpp, which cannot read the hidden levels.
#include "core/support/log.hpp"
#include "core/workflow/amounts.hpp"
#include "core/workflow/api_error.hpp"
#include "core/workflow/audit_detail.hpp"
#include "core/workflow/ea_views.hpp"
#include "core/workflow/field_text.hpp"
#include "core/workflow/random_id.hpp"
#include "core/workflow/rule_states.hpp"
#include "core/workflow/transitions.hpp"
#include "core/workflow/workflow.hpp"

namespace vigil::core {
namespace {

// Fill ratio as a decimal with up to 4 places ("0.5", "1").
std::string fill_ratio(int64_t filled, int64_t volume) {
  std::string text = sdk::format_decimal(volume ? filled * 10'000 / volume : 0, 4);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

// The ack's answer, recomputed from the stored position as the ack left it
// (`p` with its fill at opening, see filled_at_opening) so that a repeated ack
// gets exactly the same answer whatever happened since. Slippage is signed,
// adverse positive.
AckAnswer ack_answer(const PositionRow& p, int digits) {
  AckAnswer out;
  out.position_id = p.id;
  out.state = p.state == PositionState::rejected ? p.state : PositionState::open;
  if (out.state == PositionState::rejected) return out;
  out.actual_entry_price = p.actual_entry_price;
  out.filled_volume = p.filled_volume;
  out.fill_ratio = fill_ratio(stored_decimal(p.filled_volume, kVolumeDigits), stored_decimal(p.volume, kVolumeDigits));
  if (!p.entry_price.empty()) {  // else a market signal: nothing to slip against
    int64_t diff = stored_decimal(p.actual_entry_price, digits) - stored_decimal(p.entry_price, digits);
    if (p.side == VIGIL_SIDE_SELL) diff = -diff;
    out.slippage = Slippage{sdk::format_decimal(diff, digits), diff};
  }
  // The one level an EA is ever told: the hard stop to place at its broker.
  out.catastrophe_sl = saved_catastrophe_stop(rule_states_of(p));
  return out;
}

std::string opened_detail(const AckAnswer& a) {
  AuditDetail detail;
  detail.text("actual_entry_price", a.actual_entry_price)
      .text("filled_volume", a.filled_volume)
      .text("fill_ratio", a.fill_ratio);
  if (a.slippage) detail.number("slippage_points", a.slippage->points);
  if (a.catastrophe_sl) detail.text("catastrophe_sl", *a.catastrophe_sl);
  return detail.json();
}

bool same_ack(const PositionRow& p, const AckRequest& r, int digits) {
  if (r.result == PositionState::rejected) return p.state == PositionState::rejected;
  if (p.state == PositionState::rejected || p.state == PositionState::pending || p.state == PositionState::acknowledged)
    return false;
  return r.execution_id.value_or("") == p.execution_id && r.broker_ticket.value_or("") == p.broker_ticket &&
         decimal_field("actual_entry_price", r.actual_entry_price, digits).value_or(-1) ==
             stored_decimal(p.actual_entry_price, digits) &&
         decimal_field("filled_volume", r.filled_volume, kVolumeDigits).value_or(-1) ==
             stored_decimal(p.filled_volume, kVolumeDigits);
}

// The volume the execution ack filled: partial closes since took their
// volumes off filled_volume, except one that took the rest (it closed the
// position, at its own execution time, and left filled_volume as it was).
std::string filled_at_opening(const PositionRow& p, const std::vector<CommandRow>& device_commands) {
  int64_t filled = stored_decimal(p.filled_volume, kVolumeDigits);
  for (const CommandRow& c : device_commands) {
    bool took_the_rest = p.state == PositionState::closed && p.closed_at == c.executed_at;
    if (c.position_id == p.id && !c.volume.empty() && !took_the_rest) filled += stored_decimal(c.volume, kVolumeDigits);
  }
  return format_volume(filled);
}

ApiError not_delivered(const std::string& what, const std::string& how) {
  return ApiError(VIGIL_CONFLICT, "not_delivered", what + " was never delivered to this device; " + how + " first.");
}

}  // namespace

// The device's waiting positions only: a poll costs the same whatever
// other devices hold. Delivering one moves it to acknowledged, stored and
// audited, so that only what was delivered can be executed.
std::vector<EaPosition> Workflow::poll(const std::string& device_id) {
  ClientBook& b = book_of_caller(device_id);
  return with_book(b, [&](int64_t now, std::set<std::string>&) {
    DeviceState& device = active_device_locked(b, device_id, now);
    WriteBatch batch;
    std::vector<std::pair<LivePosition*, PositionRow>> delivered;
    std::vector<EaPosition> list;
    for (const std::string& id : device.waiting) {
      LivePosition* live = b.position(id);
      if (!live) continue;
      if (live->row.state == PositionState::pending) {
        PositionRow next = advanced(live->row, PositionState::acknowledged, now);
        batch.update(next).audit(now, "position", id, "delivered");
        list.push_back(ea_position(next));
        delivered.emplace_back(live, std::move(next));
      } else {
        list.push_back(ea_position(live->row));
      }
    }
    if (!batch.empty()) commit_locked(b, batch);
    for (auto& [live, next] : delivered) b.update_position(*live, std::move(next));
    return list;
  });
}

// An ack for a position no longer waiting for one (opened or rejected by an
// earlier ack, perhaps ended since) or not this device's: read from the
// store, the same ack gets the same answer again, another one 409.
AckAnswer Workflow::repeated_ack(const std::string& device_id, const AckRequest& request) {
  std::vector<PositionRow> stored = store_.query<PositionRow>(request.position_id);
  if (stored.empty() || stored[0].device_id != device_id) throw not_found("position " + request.position_id);
  int digits = digits_of(stored[0].instrument);
  if (stored[0].state != PositionState::rejected)
    stored[0].filled_volume = filled_at_opening(stored[0], store_.query<CommandRow>({}, device_id, "executed"));
  if (!same_ack(stored[0], request, digits))
    throw ApiError(VIGIL_CONFLICT, "conflicting_ack", "The position was already acknowledged differently.");
  return ack_answer(stored[0], digits);
}

AckAnswer Workflow::ack(const std::string& device_id, const AckRequest& request) {
  const std::string& position_id = request.position_id;
  ClientBook& b = book_of_caller(device_id);
  return with_book(b, [&](int64_t now, std::set<std::string>&) {
    DeviceState& device = active_device_locked(b, device_id, now);
    LivePosition* live = b.position(position_id);
    if (live && live->row.device_id != device_id) throw not_found("position " + position_id);
    if (!live || (live->row.state != PositionState::pending && live->row.state != PositionState::acknowledged))
      return repeated_ack(device_id, request);
    if (live->row.state == PositionState::pending) throw not_delivered("position " + position_id, "poll");
    int digits = digits_of(live->row.instrument);
    if (request.result == PositionState::rejected) {
      PositionRow rejected = advanced(live->row, PositionState::rejected, now);
      rejected.error_message = request.error_message.value_or("rejected by the EA");
      WriteBatch batch;
      end_rows_locked(b, rejected, "rejected", AuditDetail().text("error_message", rejected.error_message).json(), "",
                      "the position was rejected", now, batch);
      commit_locked(b, batch);
      forget_locked(b, position_id);
      return ack_answer(rejected, digits);
    }
    PositionRow next = advanced(live->row, PositionState::open, now);
    next.execution_id = required_text("execution_id", request.execution_id);
    next.broker_ticket = required_text("broker_ticket", request.broker_ticket);
    // A ticket names one broker position: two of ours on one ticket would
    // make reconciliation and closing ambiguous.
    if (device.tickets.count(next.broker_ticket))
      throw ApiError(VIGIL_CONFLICT, "duplicate_ticket",
                     "broker_ticket " + next.broker_ticket + " already belongs to another open position.");
    int64_t price = required_decimal_field("actual_entry_price", request.actual_entry_price, digits);
    if (price <= 0) throw invalid_field("actual_entry_price", "must be greater than zero");
    int64_t filled = required_decimal_field("filled_volume", request.filled_volume, kVolumeDigits);
    if (filled <= 0 || filled > stored_decimal(next.volume, kVolumeDigits))
      throw invalid_field("filled_volume",
                          "must be greater than zero and at most the position's volume " + next.volume);
    next.actual_entry_price = sdk::format_decimal(price, digits);
    next.filled_volume = format_volume(filled);
    next.opened_at = now;
    std::map<std::string, std::string> rule_states = live->rule_states;
    if (live->rules_json && wants_catastrophe_stop(*live->rules_json) && !next.owner_sl.empty()) {
      int64_t level = catastrophe_level(next.side != VIGIL_SIDE_SELL, price, stored_decimal(next.owner_sl, digits),
                                        options_.catastrophe, random_unit());
      rule_states[kCatastropheKey] = sdk::format_decimal(level, digits);
      next.rule_state_json = rule_states_json(rule_states);
    }
    AckAnswer answer = ack_answer(next, digits);
    WriteBatch batch;
    batch.update(next).audit(now, "position", next.id, "opened", opened_detail(answer));
    commit_locked(b, batch);
    b.update_position(*live, std::move(next));
    live->rule_states = std::move(rule_states);
    watch_locked(b, *live);
    return answer;
  });
}

// Every live command of the device; delivering a pending one moves it to
// acknowledged (stored and audited) before the EA sees it.
//
// Deliveries are combined: whoever takes the book's lock serves every
// device of the book that asked meanwhile, with one commit. One breach of a
// client with a hundred terminals wakes a hundred waits at once; served one
// after another they would pay a hundred commits in a row under the lock.
std::vector<EaCommand> Workflow::close_commands(const std::string& device_id) {
  ClientBook& b = book_of_caller(device_id);
  DeliveryAsk mine{device_id, {}, nullptr, false};
  {
    std::lock_guard lock(b.asks_mutex);
    b.delivery_asks.push_back(&mine);
  }
  with_book(b, [&](int64_t now, std::set<std::string>&) {
    if (mine.served) return;  // by the caller that held the lock before
    std::vector<DeliveryAsk*> asks;
    {
      std::lock_guard lock(b.asks_mutex);
      asks.swap(b.delivery_asks);
    }
    deliver_locked(b, now, asks);
  });
  if (mine.error) std::rethrow_exception(mine.error);
  return std::move(mine.commands);
}

void Workflow::deliver_locked(ClientBook& b, int64_t now, const std::vector<DeliveryAsk*>& asks) {
  WriteBatch batch;
  std::map<std::string, CommandRow> delivered;          // by id: one delivery, though several devices get it
  std::map<std::string, DeliveryAsk*> first_of_device;  // a device asking twice is served once
  for (DeliveryAsk* ask : asks) {
    if (!first_of_device.emplace(ask->device_id, ask).second) continue;
    try {
      DeviceState& device = active_device_locked(b, ask->device_id, now);
      std::vector<std::string> ids(device.commands.begin(), device.commands.end());
      for (const std::string& inactive : b.inactive_devices())  // theirs are the client's active devices'
        if (DeviceState* gone = b.device(inactive)) ids.insert(ids.end(), gone->commands.begin(), gone->commands.end());
      for (const std::string& id : ids) {
        const CommandRow* command = b.command(id);
        LivePosition* position = command ? b.position(command->position_id) : nullptr;
        if (!position) continue;
        if (auto again = delivered.find(id); again != delivered.end()) {
          ask->commands.push_back(ea_command(again->second, position->row));
        } else if (command->status == CommandStatus::pending) {
          CommandRow next = advanced(*command, CommandStatus::acknowledged, now);
          batch.update(next).audit(now, "command", id, "delivered");
          ask->commands.push_back(ea_command(next, position->row));
          delivered.emplace(id, std::move(next));
        } else {
          ask->commands.push_back(ea_command(*command, position->row));
        }
      }
    } catch (...) {
      ask->error = std::current_exception();
    }
  }
  try {
    if (!batch.empty()) commit_locked(b, batch);
    for (auto& [id, next] : delivered) {
      if (options_.timings.command_delivery)
        options_.timings.command_delivery->observe(static_cast<double>(now - next.created_at) / 1000.0);
      b.put_command(std::move(next));
    }
  } catch (...) {
    // Nothing was delivered (or, unavailable, perhaps it was: read back
    // later, workflow_doubt.cpp); each asker hears why and asks again.
    for (DeliveryAsk* ask : asks) ask->error = std::current_exception();
  }
  for (DeliveryAsk* ask : asks) {
    DeliveryAsk* first = first_of_device[ask->device_id];
    if (ask != first) {
      ask->commands = first->commands;
      ask->error = first->error;
    }
    ask->served = true;
  }
}

// The EA's view of its open broker tickets against ours. A position we
// think is open (or closing) whose ticket the broker no longer holds was
// closed outside Vigil: it becomes closed, reason broker_closed, and any
// live command for it ends. A ticket we do not know is reported back and
// audited, never silently ignored.
SnapshotAnswer Workflow::positions_snapshot(const std::string& device_id, const std::vector<std::string>& tickets) {
  std::set<std::string> open_at_broker(tickets.begin(), tickets.end());
  ClientBook& b = book_of_caller(device_id);
  return with_book(b, [&](int64_t now, std::set<std::string>&) {
    DeviceState& device = active_device_locked(b, device_id, now);
    WriteBatch batch;
    std::vector<std::string> closed;
    for (const auto& [ticket, position_id] : device.tickets) {
      if (open_at_broker.count(ticket)) continue;
      LivePosition* live = b.position(position_id);
      if (!live) continue;
      PositionRow final_row = advanced(live->row, PositionState::closed, now);
      final_row.close_reason = "broker_closed";
      final_row.closed_at = now;
      end_rows_locked(b, final_row, "closed",
                      AuditDetail().text("reason", "broker_closed").text("broker_ticket", ticket).json(), "",
                      "the position was closed at the broker outside Vigil", now, batch);
      closed.push_back(position_id);
    }
    std::vector<std::string> unknown;
    for (const std::string& ticket : open_at_broker) {
      if (device.tickets.count(ticket)) continue;
      unknown.push_back(ticket);
      batch.audit(now, "device", device_id, "unknown_ticket", AuditDetail().text("broker_ticket", ticket).json());
    }
    if (!batch.empty()) commit_locked(b, batch);
    for (const std::string& id : closed) forget_locked(b, id);
    if (!unknown.empty())
      log(LogLevel::warn, "workflow",
          "device " + device_id + " holds " + std::to_string(unknown.size()) + " broker tickets Vigil does not know");
    return SnapshotAnswer{std::move(closed), std::move(unknown)};
  });
}

}  // namespace vigil::core
