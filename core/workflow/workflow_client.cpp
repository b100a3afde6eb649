// The EA operations of the workflow (CONTRACT.md section 2). Every answer is
// built from ea_views.hpp, which cannot read the hidden levels.
#include <nlohmann/json.hpp>

#include "core/workflow/amounts.hpp"
#include "core/workflow/api_error.hpp"
#include "core/workflow/ea_views.hpp"
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
  int64_t price = body.required_decimal("actual_entry_price", digits);
  if (price <= 0) throw invalid_field("actual_entry_price", "must be greater than zero");
  int64_t filled = body.required_decimal("filled_volume", kVolumeDigits);
  if (filled <= 0 || filled > stored_decimal(next.volume, kVolumeDigits))
    throw invalid_field("filled_volume", "must be greater than zero and at most the position's volume " + next.volume);
  next.actual_entry_price = sdk::format_decimal(price, digits);
  next.filled_volume = format_volume(filled);
  next.state = "open";
  next.opened_at = now;
  nlohmann::json answer = ack_answer(next, digits);
  batch.update(next).audit(now, "position", next.id, "opened", answer.dump());
  commit_locked(batch);
  live.row = next;
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

std::string Workflow::close_ack(const std::string& device_id, const RequestBody& body) {
  std::string command_id = body.required_string("command_id");
  std::string status = body.required_string("status");
  if (status != "executed" && status != "failed") throw invalid_field("status", "expected \"executed\" or \"failed\"");
  std::lock_guard lock(mutex_);
  auto it = commands_.find(command_id);
  if (it == commands_.end() || it->second.device_id != device_id) {
    std::vector<CommandRow> stored = store_.query<CommandRow>(command_id);
    if (stored.empty() || stored[0].device_id != device_id) throw not_found("close command " + command_id);
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
