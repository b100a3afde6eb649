// Breaches, escalation and recovery: how a crossed level becomes a close
// command, and how the workflow keeps issuing one until the position is
// closed at the broker.
#include "core/support/log.hpp"
#include "core/workflow/amounts.hpp"
#include "core/workflow/api_error.hpp"
#include "core/workflow/audit_detail.hpp"
#include "core/workflow/random_id.hpp"
#include "core/workflow/rule_states.hpp"
#include "core/workflow/transitions.hpp"
#include "core/workflow/workflow.hpp"

namespace vigil::core {

std::vector<RuleChoice> Workflow::rule_choices(const std::string& rules_json) const {
  // Every configured rule watches every position; the signal's "rules"
  // object gives a rule its parameters (as in `vigil replay`).
  std::vector<std::string> params = rule_params_of(rules_json, rule_names_);
  std::vector<RuleChoice> out;
  for (size_t i = 0; i < params.size(); ++i) out.push_back({static_cast<uint16_t>(i), std::move(params[i])});
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
  out.rules = rule_choices(live.rules_json ? *live.rules_json : std::string());
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

CommandRow Workflow::new_command(const PositionRow& position, const CommandRow& basis, int64_t now) const {
  CommandRow c;
  c.id = new_id("cmd");
  c.position_id = position.id;
  c.device_id = position.device_id;
  c.reason = basis.reason;
  c.expected_price = basis.expected_price;
  c.level = basis.level;
  c.volume = basis.volume;
  c.attempts = basis.id.empty() ? 0 : basis.attempts + 1;
  c.created_at = c.updated_at = now;
  return c;
}

// Events and updates go to the books of their positions (an engine key
// names its book), each handled under that book's lock alone.
void Workflow::on_engine_output(const std::vector<CloseEvent>& events, const std::vector<RuleUpdate>& updates) {
  std::map<ClientBook*, std::pair<std::vector<CloseEvent>, std::vector<RuleUpdate>>> by_book;
  {
    std::shared_lock read(directory_mutex_);  // once per batch: a trending market moves many stops a tick
    auto book_of = [&](uint64_t key) -> ClientBook* {
      uint32_t index = ClientBook::index_of_key(key);
      return index < books_.size() ? books_[index].get() : nullptr;
    };
    for (const CloseEvent& e : events)
      if (ClientBook* b = book_of(e.key)) by_book[b].first.push_back(e);
    for (const RuleUpdate& u : updates)
      if (ClientBook* b = book_of(u.key)) by_book[b].second.push_back(u);
  }
  // The books side by side (see commit_pool_ in the header): one tick
  // breaching the positions of thousands of clients commits their close
  // commands in a few shared store transactions, not one after another.
  std::vector<std::function<void()>> tasks;
  tasks.reserve(by_book.size());
  for (auto& [book, output] : by_book)
    tasks.emplace_back([this, b = book, &output = output] {
      with_book(*b, [&](int64_t now, std::set<std::string>& woken) {
        // A shard given up (or its lease run out) while this output was on
        // its way: the host holding it judges the same ticks. An engine
        // forgets a position it closed in full, so its key goes too, and
        // the position is watched again if this host takes the shard back.
        if (!acts_for(*b)) {
          for (const CloseEvent& e : output.first)
            if (LivePosition* live = b->position_by_key(e.key); live && e.target_id.empty() && e.volume == 0)
              b->drop_key(*live);
          return;
        }
        note_rule_updates_locked(*b, output.second);
        // With a close, that position's state is saved first: a partial close
        // (ladder) also moved the rule on a step, and a restart must not take
        // it again. Other moves wait for the maintenance tick (see the header).
        if (!output.first.empty()) save_rule_states_locked(*b, now, positions_of_locked(*b, output.first));
        take_close_events_locked(*b, output.first);
        issue_due_closes_locked(*b, now, woken);
      });
    });
  commit_pool_.run_all(tasks);
}

void Workflow::take_close_events_locked(ClientBook& b, const std::vector<CloseEvent>& events) {
  for (const CloseEvent& e : events) {
    if (!e.target_id.empty()) {
      close_other_locked(b, e);
      continue;
    }
    LivePosition* live = b.position_by_key(e.key);
    if (!live || live->row.state != PositionState::open) continue;
    ++breaches_;
    const Instrument& instrument = instruments_.get(e.instrument);
    CommandRow basis;
    basis.reason = e.reason;
    basis.expected_price = sdk::format_decimal(e.price, instrument.digits);
    basis.level = sdk::format_decimal(e.level, instrument.digits);
    if (e.volume > 0) basis.volume = format_volume(e.volume);
    log(LogLevel::info, "workflow", "breach: position " + live->row.id + " " + e.reason + " at " + basis.expected_price,
        {{"position_id", live->row.id}, {"device_id", live->row.device_id}, {"client_id", live->row.client_id}});
    // Issued at once unless a command is live (a partial close still
    // running): then right after it ends.
    b.schedule_close(live->row.id, {basis, 0, e.tick_accepted_ns});
    if (e.volume == 0) b.drop_key(*live);  // the engine forgot it
  }
}

// A rule of one position closes another of the same client (a drawdown
// guard closing them all): at market, so the command has no level; the
// target leaves its engine (which may be another shard's) here. The same
// client means the same book.
void Workflow::close_other_locked(ClientBook& b, const CloseEvent& e) {
  LivePosition* caller = b.position_by_key(e.key);
  LivePosition* target = b.position(e.target_id);
  if (!caller || !target || target->row.state != PositionState::open) {
    log(LogLevel::warn, "workflow",
        "rule asked to close position " + e.target_id + " (" + e.reason +
            "): not an open position of the same client; ignored");
    return;
  }
  if (!target->key) return;  // already closing on its own
  ++breaches_;
  CommandRow basis;
  basis.reason = e.reason;
  basis.expected_price = market_price(target->row);  // at market: there is no level
  log(LogLevel::info, "workflow", "breach: position " + target->row.id + " " + e.reason + " (closed by its group)");
  b.schedule_close(target->row.id, {basis, 0});
  unwatch_locked(b, *target);
}

// Issues every due close whose position has no live command, in one batch:
// command inserted and position moved to `closing` (full closes) together.
void Workflow::issue_due_closes_locked(ClientBook& b, int64_t now, std::set<std::string>& woken) {
  struct Issue {
    LivePosition* live;
    PositionRow moved;
    CommandRow command;
    PendingClose due;
  };
  WriteBatch batch;
  std::vector<Issue> issued;
  for (auto it = b.pending_closes.begin(); it != b.pending_closes.end();) {
    LivePosition* live = b.position(it->first);
    if (!live) {
      it = b.pending_closes.erase(it);  // closed meanwhile (by the EA or the broker)
      continue;
    }
    if (it->second.at > now || b.live_command_of(it->first)) {
      ++it;
      continue;
    }
    CommandRow command = new_command(live->row, it->second.basis, now);
    PositionRow moved = live->row;
    if (command.volume.empty() && moved.state != PositionState::closing) {
      moved = advanced(moved, PositionState::closing, now);
      batch.update(moved).audit(now, "position", moved.id, "closing",
                                AuditDetail().text("command_id", command.id).json());
    }
    batch.insert(command).audit(now, "command", command.id, command.attempts ? "reissued" : "issued",
                                AuditDetail()
                                    .text("position_id", moved.id)
                                    .text("reason", command.reason)
                                    .text("level", command.level)
                                    .text("trigger_price", command.expected_price)
                                    .text("volume", command.volume)
                                    .number("attempt", command.attempts + 1)
                                    .json());
    issued.push_back({live, std::move(moved), std::move(command), it->second});
    it = b.pending_closes.erase(it);
  }
  if (issued.empty()) return;
  try {
    apply_locked(b, batch);
  } catch (const std::exception& e) {
    // Nothing was written (or, the store being unavailable, perhaps it was:
    // read back before the retry, workflow_doubt.cpp): every close stays
    // due and is tried again shortly.
    log(LogLevel::error, "workflow", std::string("close commands not stored, retrying: ") + e.what());
    for (Issue& i : issued)
      b.schedule_close(i.live->row.id, {i.due.basis, now + options_.retry_backoff_ms, i.due.tick_accepted_ns});
    return;
  }
  for (Issue& i : issued) {
    if (i.due.tick_accepted_ns && options_.timings.breach_latency)
      options_.timings.breach_latency->observe_since(i.due.tick_accepted_ns);
    b.update_position(*i.live, std::move(i.moved));
    b.wake_for(i.command.device_id, woken);
    b.put_command(std::move(i.command));
    ++commands_issued_;
  }
}

// Commands unfinished past the expiry time expire and are issued again
// (the position is still breached); past the alert time they are flagged.
void Workflow::expire_commands_locked(ClientBook& b, int64_t now) {
  WriteBatch batch;
  std::vector<CommandRow> expired;
  for (const auto& [id, c] : b.commands()) {
    int64_t age = now - c.created_at;
    if (age >= options_.command_expire_after_ms) {
      CommandRow next = advanced(c, CommandStatus::expired, now);
      batch.update(next).audit(now, "command", id, "expired");
      expired.push_back(std::move(next));
    } else if (age >= options_.command_alert_after_ms && b.mark_overdue(id)) {
      log(LogLevel::warn, "workflow",
          "close command " + id + " for position " + c.position_id + " unfinished after " + std::to_string(age / 1000) +
              " s (device " + c.device_id + ")");
    }
  }
  if (batch.empty()) return;
  try {
    apply_locked(b, batch);
  } catch (const std::exception& e) {
    log(LogLevel::error, "workflow", std::string("cannot expire close commands: ") + e.what());
    return;
  }
  for (CommandRow& c : expired) {
    b.end_command(c.id);
    b.schedule_close(c.position_id, {c, 0});  // re-issued: the position is still breached
    ++commands_expired_;
    log(LogLevel::warn, "workflow", "close command " + c.id + " expired; issuing a new one");
  }
}

void Workflow::maintain() {
  int64_t now = clock_();
  size_t silent = 0;
  for (ClientBook* book : books()) {
    silent += with_book(*book, [&, b = book](int64_t at, std::set<std::string>& woken) {
      if (!acts_for(*b)) return size_t{0};  // the host holding the client's shard escalates and alerts
      expire_commands_locked(*b, at);
      save_rule_states_locked(*b, at);
      issue_due_closes_locked(*b, at, woken);
      return silent_devices_locked(*b, at, nullptr);
    });
  }
  silent_count_ = silent;
  probe_store(now);
}

}  // namespace vigil::core
