// The EA operations of the workflow (CONTRACT.md section 2). Every answer is
// built from ea_views.hpp, which cannot read the hidden levels.
#include <nlohmann/json.hpp>

#include "core/support/log.hpp"
#include "core/workflow/amounts.hpp"
#include "core/workflow/api_error.hpp"
#include "core/workflow/ea_views.hpp"
#include "core/workflow/random_id.hpp"
#include "core/workflow/rule_states.hpp"
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

// The ack's answer, recomputed from the stored position so that a repeated
// ack gets exactly the same answer. Slippage is signed, adverse positive.
nlohmann::json ack_answer(const PositionRow& p, int digits) {
  nlohmann::json out = {{"position_id", p.id}, {"state", p.state}};
  if (p.state == "rejected") return out;
  out["actual_entry_price"] = p.actual_entry_price;
  out["filled_volume"] = p.filled_volume;
  out["fill_ratio"] =
      fill_ratio(stored_decimal(p.filled_volume, kVolumeDigits), stored_decimal(p.volume, kVolumeDigits));
  if (p.entry_price.empty()) {
    out["slippage"] = nullptr;  // a market signal: nothing to slip against
  } else {
    int64_t diff = stored_decimal(p.actual_entry_price, digits) - stored_decimal(p.entry_price, digits);
    if (p.side == VIGIL_SIDE_SELL) diff = -diff;
    out["slippage"] = {{"price", sdk::format_decimal(diff, digits)}, {"points", diff}};
  }
  // The one level an EA is ever told: the hard stop to place at its broker.
  if (auto level = saved_catastrophe_stop(rule_states_of(p))) out["catastrophe_sl"] = *level;
  return out;
}

bool same_ack(const PositionRow& p, const std::string& status, const RequestBody& body, int digits) {
  if (status == "rejected") return p.state == "rejected";
  if (p.state == "rejected" || p.state == "pending" || p.state == "acknowledged") return false;
  return body.string("execution_id").value_or("") == p.execution_id &&
         body.string("broker_ticket").value_or("") == p.broker_ticket &&
         body.decimal("actual_entry_price", digits).value_or(-1) == stored_decimal(p.actual_entry_price, digits) &&
         body.decimal("filled_volume", kVolumeDigits).value_or(-1) == stored_decimal(p.filled_volume, kVolumeDigits);
}

}  // namespace

Workflow::LivePosition& Workflow::device_position(const std::string& device_id, const std::string& position_id) {
  auto it = positions_.find(position_id);
  // Another device's position is "not found": its existence is not revealed.
  if (it == positions_.end() || it->second.row.device_id != device_id) throw not_found("position " + position_id);
  return it->second;
}

std::string Workflow::poll(const std::string& device_id) {
  std::lock_guard lock(mutex_);
  int64_t now = clock_();
  WriteBatch batch;
  std::vector<LivePosition*> delivered;
  nlohmann::json list = nlohmann::json::array();
  for (auto& [id, live] : positions_) {
    if (live.row.device_id != device_id) continue;
    if (live.row.state != "pending" && live.row.state != "acknowledged") continue;
    if (live.row.state == "pending") {
      PositionRow next = live.row;
      next.state = "acknowledged";
      next.version += 1;
      next.updated_at = now;
      batch.update(next).audit(now, "position", id, "delivered");
      delivered.push_back(&live);
    }
    list.push_back(ea_position(live.row));
  }
  commit_locked(batch);
  for (LivePosition* live : delivered) {
    live->row.state = "acknowledged";
    live->row.version += 1;
    live->row.updated_at = now;
  }
  return nlohmann::json{{"positions", list}}.dump();
}

std::string Workflow::ack(const std::string& device_id, const RequestBody& body) {
  std::string position_id = body.required_string("position_id");
  std::string status = body.required_string("status");
  if (status != "executed" && status != "rejected")
    throw invalid_field("status", "expected \"executed\" or \"rejected\"");
  std::lock_guard lock(mutex_);
  auto it = positions_.find(position_id);
  if (it == positions_.end() || (it->second.row.state != "pending" && it->second.row.state != "acknowledged")) {
    // Already acknowledged: the same ack gets the same answer again.
    std::vector<PositionRow> stored = store_.query<PositionRow>(position_id);
    if (stored.empty() || stored[0].device_id != device_id) throw not_found("position " + position_id);
    int digits = digits_of(stored[0].instrument);
    if (!same_ack(stored[0], status, body, digits))
      throw ApiError(VIGIL_CONFLICT, "conflicting_ack", "The position was already acknowledged differently.");
    return ack_answer(stored[0], digits).dump();
  }
  LivePosition& live = device_position(device_id, position_id);
  int digits = digits_of(live.row.instrument);
  int64_t now = clock_();
  PositionRow next = live.row;
  next.version += 1;
  next.updated_at = now;
  WriteBatch batch;
  if (status == "rejected") {
    next.state = "rejected";
    next.error_message = body.string("error_message").value_or("rejected by the EA");
    batch.update(next).audit(now, "position", next.id, "rejected",
                             nlohmann::json{{"error_message", next.error_message}}.dump());
    commit_locked(batch);
    positions_.erase(it);
    return ack_answer(next, digits).dump();
  }
  next.execution_id = body.required_string("execution_id");
  next.broker_ticket = body.required_string("broker_ticket");
  // A ticket names one broker position: two of ours on one ticket would
  // make reconciliation and closing ambiguous.
  for (const auto& [id, other] : positions_)
    if (id != position_id && other.row.device_id == device_id && other.row.broker_ticket == next.broker_ticket)
      throw ApiError(VIGIL_CONFLICT, "duplicate_ticket",
                     "broker_ticket " + next.broker_ticket + " already belongs to another open position.");
  int64_t price = body.required_decimal("actual_entry_price", digits);
  if (price <= 0) throw invalid_field("actual_entry_price", "must be greater than zero");
  int64_t filled = body.required_decimal("filled_volume", kVolumeDigits);
  if (filled <= 0 || filled > stored_decimal(next.volume, kVolumeDigits))
    throw invalid_field("filled_volume", "must be greater than zero and at most the position's volume " + next.volume);
  next.actual_entry_price = sdk::format_decimal(price, digits);
  next.filled_volume = format_volume(filled);
  next.state = "open";
  next.opened_at = now;
  std::map<std::string, std::string> rule_states = live.rule_states;
  if (wants_catastrophe_stop(live.rules_json) && !next.owner_sl.empty()) {
    int64_t level = catastrophe_level(next.side != VIGIL_SIDE_SELL, price, stored_decimal(next.owner_sl, digits),
                                      options_.catastrophe, random_unit());
    rule_states[kCatastropheKey] = sdk::format_decimal(level, digits);
    next.rule_state_json = nlohmann::json(rule_states).dump();
  }
  nlohmann::json answer = ack_answer(next, digits);
  batch.update(next).audit(now, "position", next.id, "opened", answer.dump());
  commit_locked(batch);
  live.row = next;
  live.rule_states = std::move(rule_states);
  live.key = next_key_++;
  position_by_key_[live.key] = next.id;
  engines_.watch(engine_position(live));
  return answer.dump();
}

std::string Workflow::close_commands(const std::string& device_id) {
  std::lock_guard lock(mutex_);
  int64_t now = clock_();
  WriteBatch batch;
  std::vector<CommandRow*> delivered;
  nlohmann::json list = nlohmann::json::array();
  for (auto& [id, command] : commands_) {
    if (command.device_id != device_id) continue;
    if (command.status == "pending") {
      CommandRow next = command;
      next.status = "acknowledged";
      next.version += 1;
      next.updated_at = now;
      batch.update(next).audit(now, "command", id, "delivered");
      delivered.push_back(&command);
    }
    auto position = positions_.find(command.position_id);
    if (position != positions_.end()) list.push_back(ea_command(command, position->second.row));
  }
  commit_locked(batch);
  for (CommandRow* command : delivered) {
    command->status = "acknowledged";
    command->version += 1;
    command->updated_at = now;
  }
  for (auto& entry : list) entry["status"] = "acknowledged";
  return nlohmann::json{{"commands", list}}.dump();
}

std::string Workflow::late_execution_locked(const CommandRow& expired, const RequestBody& body) {
  auto answer = [&](const std::string& state) {
    return nlohmann::json{{"command_id", expired.id}, {"status", "executed"}, {"position_state", state}}.dump();
  };
  auto it = positions_.find(expired.position_id);
  if (it == positions_.end()) {
    if (!expired.actual_close_price.empty()) return answer("closed");  // the same late result again
    throw ApiError(VIGIL_CONFLICT, "conflicting_close_ack", "The position was already closed by another command.");
  }
  LivePosition& live = it->second;
  int digits = digits_of(live.row.instrument);
  int64_t price = body.required_decimal("actual_close_price", digits);
  int64_t now = clock_();
  CommandRow recorded = expired;
  recorded.actual_close_price = sdk::format_decimal(price, digits);
  recorded.broker_deal = body.string("broker_deal").value_or("");
  recorded.executed_at = recorded.updated_at = now;
  recorded.error_message = "executed at the broker after it expired";
  recorded.version += 1;
  PositionRow closed = live.row;
  closed.state = "closed";
  closed.close_price = recorded.actual_close_price;
  closed.close_reason = recorded.reason;
  closed.closed_at = closed.updated_at = now;
  closed.version += 1;
  WriteBatch batch;
  batch.update(recorded).update(closed);
  batch.audit(now, "command", recorded.id, "executed_late",
              nlohmann::json{{"actual_close_price", recorded.actual_close_price}}.dump());
  batch.audit(now, "position", closed.id, "closed", nlohmann::json{{"reason", closed.close_reason}}.dump());
  std::vector<std::string> ended;
  for (const auto& [id, c] : commands_) {
    if (c.position_id != closed.id) continue;
    CommandRow next = c;
    next.status = "expired";
    next.error_message = "the position was closed by the late result of command " + expired.id;
    next.version += 1;
    next.updated_at = now;
    batch.update(next).audit(now, "command", id, "expired", "{\"reason\":\"closed_by_earlier_command\"}");
    ended.push_back(id);
  }
  commit_locked(batch);
  for (const std::string& id : ended) {
    commands_.erase(id);
    alerted_commands_.erase(id);
  }
  pending_closes_.erase(closed.id);
  if (live.key) {
    engines_.unwatch(live.key, *instruments_.find(closed.instrument));
    position_by_key_.erase(live.key);
  }
  positions_.erase(it);
  return answer("closed");
}

std::string Workflow::close_ack(const std::string& device_id, const RequestBody& body) {
  std::string command_id = body.required_string("command_id");
  std::string status = body.required_string("status");
  if (status != "executed" && status != "failed") throw invalid_field("status", "expected \"executed\" or \"failed\"");
  std::lock_guard lock(mutex_);
  auto it = commands_.find(command_id);
  if (it == commands_.end() || it->second.device_id != device_id) {
    std::vector<CommandRow> stored = store_.query<CommandRow>(command_id);
    if (stored.empty() || stored[0].device_id != device_id) throw not_found("close command " + command_id);
    // An EA that closed at the broker after its command expired: the close
    // is real, so the position closes and its re-issued command ends (else
    // the EA would be asked to close a ticket that is already gone).
    if (stored[0].status == "expired" && status == "executed") return late_execution_locked(stored[0], body);
    // Finished already: the same result gets the same answer.
    if (stored[0].status != status)
      throw ApiError(VIGIL_CONFLICT, "conflicting_close_ack",
                     "The close command already ended as " + stored[0].status + ".");
    std::vector<PositionRow> position = store_.query<PositionRow>(stored[0].position_id);
    return nlohmann::json{
        {"command_id", command_id}, {"status", status}, {"position_state", position.empty() ? "" : position[0].state}}
        .dump();
  }
  CommandRow next = it->second;
  LivePosition& live = device_position(device_id, next.position_id);
  int digits = digits_of(live.row.instrument);
  int64_t now = clock_();
  next.version += 1;
  next.updated_at = now;
  next.broker_deal = body.string("broker_deal").value_or("");
  PositionRow position = live.row;
  position.version += 1;
  position.updated_at = now;
  WriteBatch batch;
  if (status == "executed") {
    int64_t price = body.required_decimal("actual_close_price", digits);
    if (price <= 0) throw invalid_field("actual_close_price", "must be greater than zero");
    next.status = "executed";
    next.executed_at = now;
    next.actual_close_price = sdk::format_decimal(price, digits);
    int64_t remaining = stored_decimal(position.filled_volume, kVolumeDigits);
    int64_t closed = next.volume.empty() ? remaining : std::min(remaining, stored_decimal(next.volume, kVolumeDigits));
    if (closed >= remaining) {
      position.state = "closed";
      position.close_price = next.actual_close_price;
      position.close_reason = next.reason;
      position.closed_at = now;
    } else {
      position.filled_volume = format_volume(remaining - closed);  // a partial close: the rest stays open
    }
    batch.update(next).update(position);
    batch.audit(now, "command", next.id, "executed",
                nlohmann::json{{"actual_close_price", next.actual_close_price},
                               {"expected_price", next.expected_price},
                               {"level", next.level},
                               {"broker_deal", next.broker_deal}}
                    .dump());
    batch.audit(now, "position", position.id, position.state == "closed" ? "closed" : "partially_closed",
                nlohmann::json{{"reason", next.reason}, {"filled_volume", position.filled_volume}}.dump());
  } else {
    next.status = "failed";
    next.error_message = body.string("error_message").value_or("failed at the broker");
    batch.update(next).update(position).audit(now, "command", next.id, "failed",
                                              nlohmann::json{{"error_message", next.error_message}}.dump());
  }
  commit_locked(batch);
  commands_.erase(it);
  alerted_commands_.erase(next.id);
  live.row = position;
  if (status == "failed") {
    // Retried with backoff while the position is still to be closed.
    int64_t backoff = options_.retry_backoff_ms << std::min(next.attempts, 6);
    pending_closes_[position.id] = {next, now + std::min<int64_t>(backoff, 60'000)};
    ++closes_failed_;
  }
  std::string state = position.state;
  if (state == "closed") positions_.erase(position.id);
  return nlohmann::json{{"command_id", command_id}, {"status", status}, {"position_state", state}}.dump();
}

}  // namespace vigil::core

namespace vigil::core {

// The EA's view of its open broker tickets against ours. A position we
// think is open (or closing) whose ticket the broker no longer holds was
// closed outside Vigil: it becomes closed, reason broker_closed, and any
// live command for it ends. A ticket we do not know is reported back and
// audited, never silently ignored.
std::string Workflow::positions_snapshot(const std::string& device_id, const RequestBody& body) {
  std::vector<std::string> tickets = body.required_string_array("tickets");
  std::set<std::string> open_at_broker(tickets.begin(), tickets.end());
  std::lock_guard lock(mutex_);
  int64_t now = clock_();
  WriteBatch batch;
  std::vector<std::string> closed, commands_ended;
  std::set<std::string> known;
  for (auto& [id, live] : positions_) {
    const PositionRow& p = live.row;
    if (p.device_id != device_id || (p.state != "open" && p.state != "closing")) continue;
    known.insert(p.broker_ticket);
    if (open_at_broker.count(p.broker_ticket)) continue;
    PositionRow next = p;
    next.state = "closed";
    next.close_reason = "broker_closed";
    next.closed_at = next.updated_at = now;
    next.version += 1;
    batch.update(next).audit(now, "position", id, "closed",
                             nlohmann::json{{"reason", "broker_closed"}, {"broker_ticket", p.broker_ticket}}.dump());
    for (const auto& [command_id, c] : commands_) {
      if (c.position_id != id) continue;
      CommandRow ended = c;
      ended.status = "expired";
      ended.error_message = "the position was closed at the broker outside Vigil";
      ended.version += 1;
      ended.updated_at = now;
      batch.update(ended).audit(now, "command", command_id, "expired", "{\"reason\":\"broker_closed\"}");
      commands_ended.push_back(command_id);
    }
    closed.push_back(id);
  }
  std::vector<std::string> unknown;
  for (const std::string& ticket : open_at_broker) {
    if (known.count(ticket)) continue;
    unknown.push_back(ticket);
    batch.audit(now, "device", device_id, "unknown_ticket", nlohmann::json{{"broker_ticket", ticket}}.dump());
  }
  commit_locked(batch);
  for (const std::string& id : commands_ended) {
    commands_.erase(id);
    alerted_commands_.erase(id);
  }
  for (const std::string& id : closed) {
    LivePosition& live = positions_[id];
    if (live.key) engines_.unwatch(live.key, *instruments_.find(live.row.instrument));
    position_by_key_.erase(live.key);
    pending_closes_.erase(id);
    positions_.erase(id);
  }
  if (!unknown.empty())
    log(LogLevel::warn, "workflow",
        "device " + device_id + " holds " + std::to_string(unknown.size()) + " broker tickets Vigil does not know");
  return nlohmann::json{{"closed_positions", closed}, {"unknown_tickets", unknown}}.dump();
}

}  // namespace vigil::core
