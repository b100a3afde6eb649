// Breaches, escalation and recovery: how a crossed level becomes a close
// command, and how the workflow keeps issuing one until the position is
// closed at the broker.
#include <nlohmann/json.hpp>

#include "core/support/log.hpp"
#include "core/workflow/amounts.hpp"
#include "core/workflow/api_error.hpp"
#include "core/workflow/random_id.hpp"
#include "core/workflow/rule_states.hpp"
#include "core/workflow/workflow.hpp"

namespace vigil::core {

std::vector<RuleChoice> Workflow::rule_choices(const std::string& rules_json) const {
  // Every configured rule watches every position; the signal's "rules"
  // object gives a rule its parameters (as in `vigil replay`).
  nlohmann::json chosen = nlohmann::json::parse(rules_json.empty() ? "{}" : rules_json, nullptr, false);
  std::vector<RuleChoice> out;
  for (size_t i = 0; i < rule_names_.size(); ++i) {
    RuleChoice choice{static_cast<uint16_t>(i), "{}"};
    if (chosen.is_object() && chosen.contains(rule_names_[i])) choice.params_json = chosen[rule_names_[i]].dump();
    out.push_back(choice);
  }
  return out;
}

NewPosition Workflow::engine_position(const LivePosition& live) const {
  const PositionRow& p = live.row;
  std::optional<InstrumentId> id = instruments_.find(p.instrument);
  if (!id) throw ApiError(VIGIL_INTERNAL, "internal", "instrument " + p.instrument + " is not configured");
  int digits = instruments_.get(*id).digits;
  NewPosition out;
  out.key = live.key;
  out.id = p.id;
  out.instrument = *id;
  out.side = p.side == VIGIL_SIDE_SELL ? Side::sell : Side::buy;
  out.volume = stored_decimal(p.filled_volume, kVolumeDigits);
  // Market signals have no entry price: the fill is the entry.
  out.entry_price = stored_decimal(p.actual_entry_price.empty() ? p.entry_price : p.actual_entry_price, digits);
  if (!p.owner_sl.empty()) out.owner_sl = stored_decimal(p.owner_sl, digits);
  if (!p.owner_tp.empty()) out.owner_tp = stored_decimal(p.owner_tp, digits);
  out.opened_at_unix_ms = p.opened_at;
  out.group = p.client_id;  // rules judging positions together (drawdown) judge a client's
  out.rules = rule_choices(live.rules_json);
  for (const RuleChoice& choice : out.rules) {
    auto saved = live.rule_states.find(rule_names_[choice.rule]);
    out.rule_states.push_back(saved == live.rule_states.end() ? std::string() : saved->second);
  }
  return out;
}

std::string Workflow::market_price(const PositionRow& p) const {
  std::optional<InstrumentId> instrument = instruments_.find(p.instrument);
  if (!instrument || !engines_.market_price) return "";
  std::optional<int64_t> price = engines_.market_price(*instrument, p.side == VIGIL_SIDE_SELL ? Side::sell : Side::buy);
  return price ? sdk::format_decimal(*price, instruments_.get(*instrument).digits) : "";
}

bool Workflow::has_live_command_locked(const std::string& position_id) const {
  for (const auto& [id, c] : commands_)
    if (c.position_id == position_id) return true;
  return false;
}

CommandRow Workflow::new_command_locked(const LivePosition& live, const CommandRow& basis, int64_t now) const {
  CommandRow c;
  c.id = new_id("cmd");
  c.position_id = live.row.id;
  c.device_id = live.row.device_id;
  c.reason = basis.reason;
  c.expected_price = basis.expected_price;
  c.level = basis.level;
  c.volume = basis.volume;
  c.attempts = basis.id.empty() ? 0 : basis.attempts + 1;
  c.created_at = c.updated_at = now;
  return c;
}

void Workflow::on_engine_output(const std::vector<CloseEvent>& events, const std::vector<RuleUpdate>& updates) {
  std::set<std::string> woken;
  {
    std::lock_guard lock(mutex_);
    int64_t now = clock_();
    resolve_doubts_locked(now, woken);  // before a close is issued again for a position
    note_rule_updates_locked(updates);
    // With a close, that position's state is saved first: a partial close
    // (ladder) also moved the rule on a step, and a restart must not take
    // it again. Other moves wait for the maintenance tick (see the header).
    if (!events.empty()) save_rule_states_locked(now, positions_of_locked(events));
    take_close_events_locked(events);
    issue_due_closes_locked(now, woken);
  }
  wake(woken);
}

void Workflow::take_close_events_locked(const std::vector<CloseEvent>& events) {
  for (const CloseEvent& e : events) {
    if (!e.target_id.empty()) {
      close_other_locked(e);
      continue;
    }
    auto key = position_by_key_.find(e.key);
    if (key == position_by_key_.end()) continue;
    auto it = positions_.find(key->second);
    if (it == positions_.end() || it->second.row.state != "open") continue;
    ++breaches_;
    const Instrument& instrument = instruments_.get(e.instrument);
    CommandRow basis;
    basis.reason = e.reason;
    basis.expected_price = sdk::format_decimal(e.price, instrument.digits);
    basis.level = sdk::format_decimal(e.level, instrument.digits);
    if (e.volume > 0) basis.volume = format_volume(e.volume);
    log(LogLevel::info, "workflow", "breach: position " + it->first + " " + e.reason + " at " + basis.expected_price);
    // Issued at once unless a command is live (a partial close still
    // running): then right after it ends.
    pending_closes_[it->first] = {basis, 0};
    if (e.volume == 0) position_by_key_.erase(key);  // the engine forgot it
  }
}

// A rule of one position closes another of the same client (a drawdown
// guard closing them all): at market, so the command has no level; the
// target leaves its engine (which may be another shard's) here.
void Workflow::close_other_locked(const CloseEvent& e) {
  auto caller_key = position_by_key_.find(e.key);
  auto caller = caller_key == position_by_key_.end() ? positions_.end() : positions_.find(caller_key->second);
  auto target = positions_.find(e.target_id);
  if (caller == positions_.end() || target == positions_.end() || target->second.row.state != "open" ||
      target->second.row.client_id != caller->second.row.client_id) {
    log(LogLevel::warn, "workflow",
        "rule asked to close position " + e.target_id + " (" + e.reason +
            "): not an open position of the same client; ignored");
    return;
  }
  LivePosition& live = target->second;
  if (!position_by_key_.count(live.key)) return;  // already closing on its own
  ++breaches_;
  CommandRow basis;
  basis.reason = e.reason;
  basis.expected_price = market_price(live.row);  // at market: there is no level
  log(LogLevel::info, "workflow", "breach: position " + live.row.id + " " + e.reason + " (closed by its group)");
  pending_closes_[live.row.id] = {basis, 0};
  engines_.unwatch(live.key, *instruments_.find(live.row.instrument));
  position_by_key_.erase(live.key);
}

// Issues every due close whose position has no live command, in one batch:
// command inserted and position moved to `closing` (full closes) together.
void Workflow::issue_due_closes_locked(int64_t now, std::set<std::string>& woken) {
  struct Issue {
    LivePosition* live;
    PositionRow moved;
    CommandRow command;
    PendingClose due;
  };
  WriteBatch batch;
  std::vector<Issue> issued;
  for (auto it = pending_closes_.begin(); it != pending_closes_.end();) {
    auto position = positions_.find(it->first);
    if (position == positions_.end()) {
      it = pending_closes_.erase(it);  // closed meanwhile (by the EA or the broker)
      continue;
    }
    if (it->second.at > now || has_live_command_locked(it->first)) {
      ++it;
      continue;
    }
    LivePosition& live = position->second;
    CommandRow command = new_command_locked(live, it->second.basis, now);
    PositionRow moved = live.row;
    if (command.volume.empty() && moved.state != "closing") {
      moved.state = "closing";
      moved.version += 1;
      moved.updated_at = now;
      batch.update(moved).audit(now, "position", moved.id, "closing",
                                nlohmann::json{{"command_id", command.id}}.dump());
    }
    batch.insert(command).audit(now, "command", command.id, command.attempts ? "reissued" : "issued",
                                nlohmann::json{{"position_id", moved.id},
                                               {"reason", command.reason},
                                               {"level", command.level},
                                               {"trigger_price", command.expected_price},
                                               {"volume", command.volume},
                                               {"attempt", command.attempts + 1}}
                                    .dump());
    issued.push_back({&live, std::move(moved), std::move(command), it->second});
    it = pending_closes_.erase(it);
  }
  if (issued.empty()) return;
  try {
    apply_locked(batch);
  } catch (const std::exception& e) {
    // Nothing was written (or, the store being unavailable, perhaps it was:
    // read back before the retry, workflow_doubt.cpp): every close stays
    // due and is tried again shortly.
    log(LogLevel::error, "workflow", std::string("close commands not stored, retrying: ") + e.what());
    for (Issue& i : issued) pending_closes_[i.live->row.id] = {i.due.basis, now + options_.retry_backoff_ms};
    return;
  }
  for (Issue& i : issued) {
    i.live->row = std::move(i.moved);
    woken.insert(i.command.device_id);
    commands_[i.command.id] = std::move(i.command);
    ++commands_issued_;
  }
}

void Workflow::maintain() {
  std::set<std::string> woken;
  {
    std::lock_guard lock(mutex_);
    int64_t now = clock_();
    resolve_doubts_locked(now, woken);
    WriteBatch batch;
    std::vector<std::string> expired;
    for (const auto& [id, c] : commands_) {
      int64_t age = now - c.created_at;
      if (age >= options_.command_expire_after_ms) {
        CommandRow next = c;
        next.status = "expired";
        next.version += 1;
        next.updated_at = now;
        batch.update(next).audit(now, "command", id, "expired");
        expired.push_back(id);
      } else if (age >= options_.command_alert_after_ms && alerted_commands_.insert(id).second) {
        log(LogLevel::warn, "workflow",
            "close command " + id + " for position " + c.position_id + " unfinished after " +
                std::to_string(age / 1000) + " s (device " + c.device_id + ")");
      }
    }
    if (!batch.empty()) {
      try {
        apply_locked(batch);
        for (const std::string& id : expired) {
          CommandRow c = commands_[id];
          c.version += 1;
          commands_.erase(id);
          alerted_commands_.erase(id);
          pending_closes_[c.position_id] = {c, 0};  // re-issued: the position is still breached
          ++commands_expired_;
          log(LogLevel::warn, "workflow", "close command " + id + " expired; issuing a new one");
        }
      } catch (const std::exception& e) {
        log(LogLevel::error, "workflow", std::string("cannot expire close commands: ") + e.what());
      }
    }
    save_rule_states_locked(now);
    issue_due_closes_locked(now, woken);
    probe_store_locked(now);
    count_alerts_locked(now);
  }
  wake(woken);
}

void Workflow::recover() {
  std::lock_guard lock(mutex_);
  int64_t now = clock_();
  for (DeviceRow& d : store_.query<DeviceRow>()) devices_[d.id] = {d, now};
  std::map<std::string, std::string> signal_rules;
  for (PositionRow& p : store_.query<PositionRow>({}, {}, "pending,acknowledged,open,closing")) {
    if (!signal_rules.count(p.signal_id)) {
      std::vector<SignalRow> signal = store_.query<SignalRow>(p.signal_id);
      signal_rules[p.signal_id] = signal.empty() ? "{}" : signal[0].rules_json;
    }
    LivePosition live{p, 0, signal_rules[p.signal_id], rule_states_of(p)};
    if (p.state == "open") {
      live.key = next_key_++;
      position_by_key_[live.key] = p.id;
      engines_.watch(engine_position(live));
    }
    positions_[p.id] = std::move(live);
  }
  for (CommandRow& c : store_.query<CommandRow>({}, {}, "pending,acknowledged")) commands_[c.id] = c;
  // A position left closing without a live command (its command failed or
  // expired just before a stop) gets a new one now.
  for (auto& [id, live] : positions_) {
    if (live.row.state != "closing" || has_live_command_locked(id)) continue;
    std::vector<CommandRow> previous;
    for (CommandRow& c : store_.query<CommandRow>({}, live.row.device_id))
      if (c.position_id == id) previous.push_back(c);
    CommandRow basis = previous.empty() ? CommandRow{} : previous.back();
    if (previous.empty()) basis.reason = "recovery";
    pending_closes_[id] = {basis, 0};
  }
  log(LogLevel::info, "workflow",
      "recovered " + std::to_string(devices_.size()) + " devices, " + std::to_string(positions_.size()) +
          " live positions, " + std::to_string(commands_.size()) + " unfinished close commands");
}

}  // namespace vigil::core
