// Rule states: where a rule that moves levels stands for each position
// (a trailing stop's best price, a ladder's next step), saved in the
// position row so a restart resumes there, and each move audited. See the
// header for when they are written.
#include "core/support/log.hpp"
#include "core/workflow/amounts.hpp"
#include "core/workflow/audit_detail.hpp"
#include "core/workflow/rule_states.hpp"
#include "core/workflow/transitions.hpp"
#include "core/workflow/workflow.hpp"

namespace vigil::core {

namespace {

// A trending market dirties every trailing position on one side at once;
// one save writes at most this many rows, so the workflow's lock is held
// for one bounded transaction and the rest follow on the next ticks.
constexpr size_t kMaxRuleStatesPerSave = 1000;

// {"rule": "rule-trailing", "levels": {"1": "1.10150", "2": "1.10201"}}:
// the rule's level ids, as it declared them.
std::string move_detail(const std::string& rule, const std::vector<std::pair<uint32_t, int64_t>>& moved, int digits) {
  std::map<std::string, std::string> levels;
  for (const auto& [id, price] : moved) levels[std::to_string(id)] = sdk::format_decimal(price, digits);
  return AuditDetail().text("rule", rule).texts("levels", levels).json();
}

}  // namespace

void Workflow::note_rule_updates_locked(ClientBook& b, const std::vector<RuleUpdate>& updates) {
  for (const RuleUpdate& u : updates) {
    LivePosition* live = b.position_by_key(u.key);
    if (!live) continue;
    const std::string& rule = rule_names_[u.rule];  // choice i is configured rule i (rule_choices)
    live->rule_states[rule] = u.state;
    if (b.rule_states_unsaved.insert(live->row.id).second) b.rule_state_queue.push_back(live->row.id);
    if (!u.levels.empty())
      b.unsaved_moves[{live->row.id, rule}] = {u.levels, instruments_.get(u.instrument).digits, u.time_unix_ms};
  }
}

std::vector<std::string> Workflow::positions_of_locked(ClientBook& b, const std::vector<CloseEvent>& events) const {
  std::vector<std::string> ids;
  for (const CloseEvent& e : events)
    if (LivePosition* live = b.position_by_key(e.key)) ids.push_back(live->row.id);
  return ids;
}

// `first`, then the longest unsaved, up to the cap; taken off the unsaved set.
std::vector<std::string> Workflow::take_unsaved_locked(ClientBook& b, const std::vector<std::string>& first) {
  std::vector<std::string> ids;
  auto take = [&](const std::string& id) {
    if (b.rule_states_unsaved.erase(id)) ids.push_back(id);  // the queue may hold ids saved since
  };
  for (const std::string& id : first) take(id);
  while (ids.size() < kMaxRuleStatesPerSave && !b.rule_state_queue.empty()) {
    take(b.rule_state_queue.front());
    b.rule_state_queue.pop_front();
  }
  return ids;
}

// Saves changed rule states with their level moves to audit, in one batch.
// On failure they stay unsaved, first in line for the next save: the
// engine holds the truth meanwhile.
void Workflow::save_rule_states_locked(ClientBook& b, int64_t now, const std::vector<std::string>& first) {
  std::vector<std::string> ids = take_unsaved_locked(b, first);
  if (ids.empty()) return;
  WriteBatch batch;
  std::vector<std::pair<LivePosition*, PositionRow>> saved;
  for (const std::string& id : ids) {
    if (LivePosition* live = b.position(id)) {  // else ended meanwhile: nothing to resume
      PositionRow row = touched(live->row, now);
      row.rule_state_json = rule_states_json(live->rule_states);
      batch.update(row);
      saved.emplace_back(live, std::move(row));
    }
    for (auto m = b.unsaved_moves.lower_bound({id, ""}); m != b.unsaved_moves.end() && m->first.first == id; ++m)
      batch.audit(m->second.at, "position", id, "levels_moved",
                  move_detail(m->first.second, m->second.levels, m->second.digits));
  }
  try {
    apply_locked(b, batch);
  } catch (const std::exception& e) {
    log(LogLevel::error, "workflow", std::string("rule states not stored, retrying: ") + e.what());
    for (auto id = ids.rbegin(); id != ids.rend(); ++id) {
      b.rule_states_unsaved.insert(*id);
      b.rule_state_queue.push_front(*id);
    }
    return;
  }
  for (auto& [live, row] : saved) b.update_position(*live, std::move(row));
  for (const std::string& id : ids)
    b.unsaved_moves.erase(b.unsaved_moves.lower_bound({id, ""}), b.unsaved_moves.lower_bound({id + '\0', ""}));
}

}  // namespace vigil::core
