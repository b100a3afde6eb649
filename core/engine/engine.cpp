#include "core/engine/engine.hpp"

#include <algorithm>
#include <iterator>

#include "core/plugins/status_name.hpp"
#include "core/support/histogram.hpp"
#include "core/support/log.hpp"

namespace vigil::core {

namespace {

constexpr uint32_t kNone = UINT32_MAX;
// A rule that keeps declaring levels the current quote already crosses would
// otherwise loop forever inside one tick.
constexpr int kMaxRoundsPerTick = 8;
// The fallback's triggers (EngineRule::fallback_to_owner_stop) belong to no
// rule of the position: they take this rule index, which add() keeps free.
constexpr uint8_t kOwnerStop = 255;
enum OwnerLevel : uint32_t { kOwnerSl = 0, kOwnerTp = 1 };

bool is_below(uint8_t book) {
  return book == 0 || book == 2;
}

uint64_t state_key(uint32_t position, uint8_t rule) {
  return (uint64_t{position} << 8) | rule;
}

}  // namespace

struct Engine::InstrumentBooks {
  Quote quote;
  IndexedHeap book[4];
  IndexedHeap waiting;  // positions not yet open, keyed by opened_at

  InstrumentBooks(std::vector<uint32_t>* triggers, std::vector<uint32_t>* positions)
      : book{IndexedHeap(triggers), IndexedHeap(triggers), IndexedHeap(triggers), IndexedHeap(triggers)},
        waiting(positions) {}
};

// What a rule asked for during one call; applied only if the call succeeds.
struct Engine::Actions {
  struct LevelOp {
    uint32_t id;
    int32_t cross;  // 0 for deadlines
    int64_t value;  // price or time
    bool deadline;
    bool clear;
  };
  std::vector<LevelOp> ops;
  bool close = false;
  std::string reason;
  int64_t price = 0, level = 0, volume = 0;
  std::optional<std::string> state;
  struct CloseOther {
    std::string position_id, reason;
  };
  std::vector<CloseOther> close_others;
  std::string misuse;  // set when the rule called an action wrongly
  vigil_rule_actions table{};

  Actions() {
    table.struct_size = sizeof(vigil_rule_actions);
    table.ctx = this;
    table.set_level = [](void* c, uint32_t id, int32_t cross, int64_t price) {
      auto& a = *static_cast<Actions*>(c);
      if (cross != VIGIL_CROSS_AT_OR_BELOW && cross != VIGIL_CROSS_AT_OR_ABOVE)
        return a.note_misuse("set_level with an unknown cross " + std::to_string(cross));
      a.record({id, cross, price, false, false});
    };
    table.clear_level = [](void* c, uint32_t id) { static_cast<Actions*>(c)->record({id, 0, 0, false, true}); };
    table.set_deadline = [](void* c, uint32_t id, int64_t at) {
      static_cast<Actions*>(c)->record({id, 0, at, true, false});
    };
    table.clear_deadline = [](void* c, uint32_t id) { static_cast<Actions*>(c)->record({id, 0, 0, true, true}); };
    table.close = [](void* c, const char* reason, int64_t price, int64_t level, int64_t volume) {
      auto& a = *static_cast<Actions*>(c);
      if (!reason || !*reason) return a.note_misuse("close without a reason");
      if (volume < 0) return a.note_misuse("close with a negative volume");
      try {
        a.reason = reason;
      } catch (...) {
        return a.note_misuse("out of memory");
      }
      a.close = true, a.price = price, a.level = level, a.volume = volume;
    };
    table.save_state = [](void* c, vigil_str state) {
      auto& a = *static_cast<Actions*>(c);
      try {
        a.state.emplace(state.data ? std::string(state.data, state.size) : std::string());
      } catch (...) {
        a.note_misuse("out of memory");
      }
    };
    table.close_other = [](void* c, vigil_str position_id, const char* reason) {
      auto& a = *static_cast<Actions*>(c);
      if (!reason || !*reason) return a.note_misuse("close_other without a reason");
      if (!position_id.data || position_id.size == 0) return a.note_misuse("close_other without a position id");
      try {
        a.close_others.push_back({std::string(position_id.data, position_id.size), reason});
      } catch (...) {
        a.note_misuse("out of memory");
      }
    };
  }

  void record(const LevelOp& op) noexcept {
    try {
      ops.push_back(op);
    } catch (...) {
      note_misuse("out of memory");
    }
  }
  void note_misuse(std::string what) noexcept {
    if (misuse.empty()) misuse = std::move(what);
  }
};

Engine::Engine(const Instruments& instruments, std::vector<EngineRule> rules, PositionNames names)
    : instruments_(instruments),
      rules_(std::move(rules)),
      names_(std::move(names)),
      deadlines_(&trigger_slots_),
      failures_(rules_.size()) {
  if (rules_.size() > 255) throw std::invalid_argument("an engine takes at most 255 rules");
}

Engine::~Engine() = default;

Engine::InstrumentBooks& Engine::books(InstrumentId instrument) {
  while (books_.size() <= instrument) books_.emplace_back(&trigger_slots_, &position_slots_);
  return books_[instrument];
}

uint16_t Engine::intern_rule_set(const std::vector<RuleChoice>& rules) {
  for (size_t i = 0; i < rule_sets_.size(); ++i) {
    const auto& known = rule_sets_[i];
    bool same = known.size() == rules.size() &&
                std::equal(known.begin(), known.end(), rules.begin(), [](const RuleChoice& a, const RuleChoice& b) {
                  return a.rule == b.rule && a.params_json == b.params_json;
                });
    if (same) return static_cast<uint16_t>(i);
  }
  // Per-position parameters (trailing distances...) are few distinct sets in
  // practice; a table keeps them out of every position record.
  if (rule_sets_.size() >= UINT16_MAX) throw PositionRejected("too many distinct rule parameter sets");
  rule_sets_.push_back(rules);
  return static_cast<uint16_t>(rule_sets_.size() - 1);
}

uint32_t Engine::allocate_position() {
  if (free_position_ != kNone) {
    uint32_t slot = free_position_;
    free_position_ = positions_[slot].first_trigger;
    return slot;
  }
  positions_.push_back({});
  positions_.back().generation = 0;
  position_slots_.push_back(IndexedHeap::kAbsent);
  return static_cast<uint32_t>(positions_.size() - 1);
}

uint32_t Engine::allocate_trigger() {
  if (free_trigger_ != kNone) {
    uint32_t slot = free_trigger_;
    free_trigger_ = triggers_[slot].next;
    return slot;
  }
  triggers_.push_back({});
  trigger_slots_.push_back(IndexedHeap::kAbsent);
  return static_cast<uint32_t>(triggers_.size() - 1);
}

PositionHandle Engine::add(const NewPosition& n) {
  if (n.instrument >= instruments_.size()) throw PositionRejected("position " + n.id + ": unknown instrument");
  if (n.rules.empty()) throw PositionRejected("position " + n.id + ": no rule watches it");
  if (n.rules.size() >= kOwnerStop) throw PositionRejected("position " + n.id + ": more than 254 rules");
  for (const auto& choice : n.rules)
    if (choice.rule >= rules_.size()) throw PositionRejected("position " + n.id + ": unknown rule");
  uint16_t rule_set = intern_rule_set(n.rules);
  uint32_t slot = allocate_position();
  PositionRecord& p = positions_[slot];
  p.key = n.key;
  p.entry_price = n.entry_price;
  p.volume = n.volume;
  p.owner_sl = n.owner_sl.value_or(0);
  p.owner_tp = n.owner_tp.value_or(0);
  p.opened_at = n.opened_at_unix_ms;
  p.instrument = n.instrument;
  p.first_trigger = kNone;
  p.rule_set = rule_set;
  p.side = n.side;
  p.flags = static_cast<uint8_t>(kLive | (n.owner_sl ? kHasSl : 0) | (n.owner_tp ? kHasTp : 0));
  ++live_positions_;
  if (!n.group.empty()) members_[slot] = {intern_group(n.group), n.id};

  adding_id_ = &n.id;
  for (size_t r = 0; r < n.rules.size(); ++r)
    if (r < n.rule_states.size() && !n.rule_states[r].empty())
      rule_states_[state_key(slot, static_cast<uint8_t>(r))] = n.rule_states[r];
  for (size_t r = 0; r < n.rules.size(); ++r) {
    Actions actions;
    std::string error;
    vigil_status status = call_rule(slot, static_cast<uint8_t>(r), nullptr, actions, error);
    if (status != VIGIL_OK) {
      adding_id_ = nullptr;
      release_position(slot);
      std::string what = "position " + n.id + ": rule " + rules_[n.rules[r].rule].name + ": " + error;
      // A refusal names the position's fault; anything else is the rule's own.
      if (status == VIGIL_INVALID_ARGUMENT) throw PositionRejected(what);
      throw RuleFailed(what);
    }
    actions.close = false;  // attach only declares; a rule wanting "now" sets a due deadline
    apply(slot, static_cast<uint8_t>(r), actions);
  }
  adding_id_ = nullptr;

  InstrumentBooks& b = books(n.instrument);
  if (n.opened_at_unix_ms <= b.quote.last_time || n.opened_at_unix_ms == 0)
    arm(slot);
  else
    b.waiting.push(slot, n.opened_at_unix_ms);
  return {slot, positions_[slot].generation};
}

bool Engine::remove(PositionHandle handle) {
  if (handle.slot >= positions_.size()) return false;
  const PositionRecord& p = positions_[handle.slot];
  if (p.generation != handle.generation || !(p.flags & kLive)) return false;
  release_position(handle.slot);
  return true;
}

void Engine::arm(uint32_t position) {
  positions_[position].flags |= kArmed;
  for (uint32_t t = positions_[position].first_trigger; t != kNone; t = triggers_[t].next) arm_trigger(t);
}

void Engine::arm_trigger(uint32_t t) {
  TriggerRecord& tr = triggers_[t];
  tr.state = TriggerState::armed;
  if (tr.book == kDeadline)
    deadlines_.push(t, tr.key);
  else
    books(positions_[tr.position].instrument).book[tr.book].push(t, tr.key);
}

void Engine::disarm_trigger(uint32_t t) {
  TriggerRecord& tr = triggers_[t];
  if (tr.state != TriggerState::armed) return;
  if (tr.book == kDeadline)
    deadlines_.erase(t);
  else
    books(positions_[tr.position].instrument).book[tr.book].erase(t);
  tr.state = TriggerState::waiting;
}

uint32_t Engine::intern_group(const std::string& group) {
  auto [it, added] = group_index_.try_emplace(group, static_cast<uint32_t>(group_names_.size()));
  if (added) group_names_.push_back(group);
  return it->second;
}

// Tells the rules that keep something per position (1.1 detach) that it left.
void Engine::detach_rules(uint32_t slot) {
  const auto& choices = rule_sets_[positions_[slot].rule_set];
  for (size_t r = 0; r < choices.size(); ++r) {
    const EngineRule& rule = rules_[choices[r].rule];
    if (!VIGIL_HAS_FIELD(rule.vtable, vigil_rule_vtable, detach) || !rule.vtable->detach) continue;
    vigil_position_view view{};
    std::string id;
    fill_view(slot, static_cast<uint8_t>(r), view, id);
    rule.vtable->detach(rule.instance, &view);
  }
}

void Engine::release_position(uint32_t slot) {
  detach_rules(slot);
  members_.erase(slot);
  PositionRecord& p = positions_[slot];
  for (uint32_t t = p.first_trigger; t != kNone;) {
    uint32_t next = triggers_[t].next;
    disarm_trigger(t);
    triggers_[t].state = TriggerState::free;
    triggers_[t].next = free_trigger_;
    free_trigger_ = t;
    t = next;
  }
  if (position_slots_[slot] != IndexedHeap::kAbsent) books(p.instrument).waiting.erase(slot);
  for (size_t r = 0; r < rule_sets_[p.rule_set].size(); ++r) {
    rule_states_.erase(state_key(slot, static_cast<uint8_t>(r)));
    if (failures_.any_failing()) failures_.forget(state_key(slot, static_cast<uint8_t>(r)));
  }
  p.flags = 0;
  ++p.generation;
  p.first_trigger = free_position_;
  free_position_ = slot;
  --live_positions_;
}

std::optional<int64_t> Engine::trigger_price(const PositionRecord& p) const {
  if (p.instrument >= books_.size()) return std::nullopt;
  const Quote& q = books_[p.instrument].quote;
  if (p.side == Side::buy) return q.has_bid ? std::optional(q.bid) : std::nullopt;
  return q.has_ask ? std::optional(q.ask) : std::nullopt;
}

void Engine::on_tick(InstrumentId instrument, std::optional<int64_t> bid, std::optional<int64_t> ask,
                     int64_t time_unix_ms, int64_t sequence, std::vector<CloseEvent>& out) {
  InstrumentBooks& b = books(instrument);
  if (bid) b.quote.bid = *bid, b.quote.has_bid = true;
  if (ask) b.quote.ask = *ask, b.quote.has_ask = true;
  b.quote.last_time = std::max(b.quote.last_time, time_unix_ms);
  while (!b.waiting.empty() && b.waiting.top().key <= time_unix_ms) arm(b.waiting.pop());

  fired_.clear();
  collect_due(time_unix_ms, fired_);
  collect_crossed(b, fired_);
  for (int round = 1; !fired_.empty(); ++round) {
    process(fired_, time_unix_ms, sequence, out);
    fired_.clear();
    if (round == kMaxRoundsPerTick) break;
    collect_due(time_unix_ms, fired_);
    collect_crossed(b, fired_);
  }
  release_fired();
}

void Engine::advance_time(int64_t now_unix_ms, std::vector<CloseEvent>& out) {
  // Positions whose opening time has come are watched from now on, ticks or not.
  for (InstrumentBooks& b : books_)
    while (!b.waiting.empty() && b.waiting.top().key <= now_unix_ms) arm(b.waiting.pop());
  fired_.clear();
  collect_due(now_unix_ms, fired_);
  for (int round = 1; !fired_.empty(); ++round) {
    process(fired_, now_unix_ms, -1, out);
    fired_.clear();
    if (round == kMaxRoundsPerTick) break;
    collect_due(now_unix_ms, fired_);
  }
  release_fired();
}

void Engine::collect_crossed(InstrumentBooks& b, std::vector<Fired>& fired) {
  const Quote& q = b.quote;
  // Heap keys: "below" books hold -level, so "price <= level" is "key <= -price".
  const bool has[4] = {q.has_bid, q.has_bid, q.has_ask, q.has_ask};
  const int64_t threshold[4] = {-q.bid, q.bid, -q.ask, q.ask};
  for (int i = 0; i < 4; ++i) {
    IndexedHeap& book = b.book[i];
    if (!has[i]) continue;
    while (!book.empty() && book.top().key <= threshold[i]) {
      uint32_t t = book.pop();
      triggers_[t].state = TriggerState::fired;
      fired.push_back({positions_[triggers_[t].position].key, t});
    }
  }
}

void Engine::collect_due(int64_t now, std::vector<Fired>& fired) {
  while (!deadlines_.empty() && deadlines_.top().key <= now) {
    uint32_t t = deadlines_.pop();
    triggers_[t].state = TriggerState::fired;
    fired.push_back({positions_[triggers_[t].position].key, t});
  }
}

void Engine::process(std::vector<Fired>& fired, int64_t time, int64_t sequence, std::vector<CloseEvent>& out) {
  // Unlink every fired trigger from its position first: a rule called below
  // may declare the same level again, which must make a fresh trigger.
  for (const Fired& f : fired) {
    TriggerRecord& tr = triggers_[f.trigger];
    uint32_t* link = &positions_[tr.position].first_trigger;
    while (*link != f.trigger) link = &triggers_[*link].next;
    *link = tr.next;
    spent_.push_back(f.trigger);
  }
  std::sort(fired.begin(), fired.end(), [](const Fired& a, const Fired& b) {
    return a.position_key != b.position_key ? a.position_key < b.position_key : a.trigger < b.trigger;
  });
  for (const Fired& f : fired) fire(f.trigger, time, sequence, out);
}

void Engine::fire(uint32_t t, int64_t time, int64_t sequence, std::vector<CloseEvent>& out) {
  const TriggerRecord tr = triggers_[t];
  uint32_t slot = tr.position;
  if (!(positions_[slot].flags & kLive)) return;  // closed by an earlier trigger of this tick
  if (tr.rule == kOwnerStop) return fire_owner_stop(tr, time, sequence, out);
  const PositionRecord& p = positions_[slot];
  const Quote& q = books(p.instrument).quote;
  vigil_rule_trigger trigger{};
  trigger.struct_size = sizeof trigger;
  trigger.kind = tr.book == kDeadline ? VIGIL_TRIGGER_DEADLINE : VIGIL_TRIGGER_LEVEL;
  trigger.id = tr.id;
  trigger.level = tr.book == kDeadline ? 0 : (is_below(tr.book) ? -tr.key : tr.key);
  trigger.price = trigger_price(p).value_or(0);
  trigger.bid = q.bid;
  trigger.ask = q.ask;
  trigger.time_unix_ms = tr.book == kDeadline ? tr.key : time;

  Actions actions;
  std::string error;
  if (call_rule(slot, tr.rule, &trigger, actions, error) != VIGIL_OK) {
    // Never drop a crossed level on a failing rule: it fires again next tick.
    note_failure(slot, tr.rule, error, trigger.time_unix_ms);
    retry_.push_back({slot, p.generation, tr.rule, tr.book, tr.id, tr.key});
    return;
  }
  if (failures_.any_failing()) note_success(slot, tr.rule);
  if (keep_updates_) record_update(slot, tr.rule, actions, trigger.time_unix_ms);
  apply(slot, tr.rule, actions);
  for (Actions::CloseOther& other : actions.close_others) {
    const PositionRecord& caller = positions_[slot];
    out.push_back({caller.key, caller.instrument, std::move(other.reason), 0, 0, 0, trigger.time_unix_ms, sequence,
                   std::move(other.position_id)});
  }
  if (!actions.close) return;
  PositionRecord& live = positions_[slot];
  out.push_back({live.key,
                 live.instrument,
                 actions.reason,
                 actions.price,
                 actions.level,
                 actions.volume,
                 trigger.time_unix_ms,
                 sequence,
                 {}});
  if (actions.volume == 0 || actions.volume >= live.volume)
    release_position(slot);
  else
    live.volume -= actions.volume;
}

void Engine::note_failure(uint32_t slot, uint8_t rule, const std::string& error, int64_t time) {
  ++rule_errors_;
  const PositionRecord& p = positions_[slot];
  const EngineRule& r = rules_[rule_sets_[p.rule_set][rule].rule];
  uint64_t pair = state_key(slot, rule);
  bool first = !failures_.failing(pair);
  failures_.failed(pair, p.key, rule_sets_[p.rule_set][rule].rule, r.name, name_of(slot), error, time);
  if (!first || !r.fallback_to_owner_stop) return;
  bool has_stop = p.flags & (kHasSl | kHasTp);
  log(LogLevel::warn, "engine",
      "position " + name_of(slot) + ": while rule " + r.name + " fails, " +
          (has_stop ? "its own stop-loss and take-profit are watched (fallback: owner_stop)"
                    : "it has no stop-loss or take-profit of its own to fall back to (fallback: owner_stop)"),
      {{"position_id", name_of(slot)}, {"rule", r.name}});
  set_owner_stop(slot, true);
}

// The fallback ends when no rule of the position that asked for it fails.
void Engine::note_success(uint32_t slot, uint8_t rule) {
  if (!failures_.failing(state_key(slot, rule))) return;
  failures_.succeeded(state_key(slot, rule), name_of(slot));
  const auto& choices = rule_sets_[positions_[slot].rule_set];
  for (size_t r = 0; r < choices.size(); ++r)
    if (rules_[choices[r].rule].fallback_to_owner_stop && failures_.failing(state_key(slot, static_cast<uint8_t>(r))))
      return;
  set_owner_stop(slot, false);
}

// rule-sltp's two levels (docs/breach-semantics.md), as triggers of no rule.
void Engine::set_owner_stop(uint32_t slot, bool on) {
  if (!on) {
    clear_trigger(slot, kOwnerStop, false, kOwnerSl);
    clear_trigger(slot, kOwnerStop, false, kOwnerTp);
    return;
  }
  const PositionRecord& p = positions_[slot];
  const bool buy = p.side == Side::buy;
  if (p.flags & kHasSl)
    set_trigger(slot, kOwnerStop, buy ? kBidBelow : kAskAbove, kOwnerSl, buy ? -p.owner_sl : p.owner_sl);
  if (p.flags & kHasTp)
    set_trigger(slot, kOwnerStop, buy ? kBidAbove : kAskBelow, kOwnerTp, buy ? p.owner_tp : -p.owner_tp);
}

void Engine::fire_owner_stop(const TriggerRecord& tr, int64_t time, int64_t sequence, std::vector<CloseEvent>& out) {
  const PositionRecord& p = positions_[tr.position];
  const bool stop_loss = tr.id == kOwnerSl;
  const int64_t level = is_below(tr.book) ? -tr.key : tr.key;
  std::string id = name_of(tr.position);
  log(LogLevel::warn, "engine",
      "position " + id + " closed at its own " + (stop_loss ? "stop-loss" : "take-profit") +
          " while its rule fails (fallback: owner_stop)",
      {{"position_id", id}});
  out.push_back({p.key,
                 p.instrument,
                 stop_loss ? "fallback_sl_hit" : "fallback_tp_hit",
                 trigger_price(p).value_or(level),
                 level,
                 0,
                 time,
                 sequence,
                 {}});
  release_position(tr.position);
}

vigil_status Engine::call_rule(uint32_t slot, uint8_t rule, const vigil_rule_trigger* trigger, Actions& actions,
                               std::string& error) {
  const EngineRule& r = rules_[rule_sets_[positions_[slot].rule_set][rule].rule];
  vigil_position_view view{};
  std::string id;
  fill_view(slot, rule, view, id);

  char message[512] = {};
  vigil_error err{sizeof err, message, sizeof message};
  Histogram* timing = trigger ? r.on_trigger_seconds : r.attach_seconds;
  int64_t started = timing ? monotonic_ns() : 0;
  vigil_status status = trigger ? r.vtable->on_trigger(r.instance, &view, trigger, &actions.table, &err)
                                : r.vtable->attach(r.instance, &view, &actions.table, &err);
  if (timing) timing->observe_since(started);
  if (status == VIGIL_OK && !actions.misuse.empty()) status = VIGIL_INTERNAL, error = actions.misuse;
  if (status != VIGIL_OK && error.empty()) error = failure_text(status, message);
  return status;
}

void Engine::fill_view(uint32_t slot, uint8_t rule, vigil_position_view& view, std::string& id) const {
  const PositionRecord& p = positions_[slot];
  const RuleChoice& choice = rule_sets_[p.rule_set][rule];
  const Instrument& instrument = instruments_.get(p.instrument);
  auto state = rule_states_.find(state_key(slot, rule));
  auto member = members_.find(slot);
  id = adding_id_ ? *adding_id_ : name_of(slot);
  view.struct_size = sizeof view;
  view.position_id = {id.data(), id.size()};
  view.instrument = {instrument.symbol.data(), instrument.symbol.size()};
  view.digits = instrument.digits;
  view.side = static_cast<int32_t>(p.side);
  view.volume = p.volume;
  view.entry_price = p.entry_price;
  view.has_sl = (p.flags & kHasSl) ? 1 : 0;
  view.has_tp = (p.flags & kHasTp) ? 1 : 0;
  view.owner_sl = p.owner_sl;
  view.owner_tp = p.owner_tp;
  view.opened_at_unix_ms = p.opened_at;
  view.params_json = {choice.params_json.data(), choice.params_json.size()};
  if (state != rule_states_.end()) view.state = {state->second.data(), state->second.size()};
  if (member != members_.end()) {
    const std::string& group = group_names_[member->second.group];
    view.group = {group.data(), group.size()};
  }
}

void Engine::apply(uint32_t slot, uint8_t rule, Actions& actions) {
  if (actions.state) rule_states_[state_key(slot, rule)] = std::move(*actions.state);
  const Side side = positions_[slot].side;
  for (const Actions::LevelOp& op : actions.ops) {
    if (op.clear) {
      clear_trigger(slot, rule, op.deadline, op.id);
    } else if (op.deadline) {
      set_trigger(slot, rule, kDeadline, op.id, op.value);
    } else {
      bool below = op.cross == VIGIL_CROSS_AT_OR_BELOW;
      uint8_t book = static_cast<uint8_t>((side == Side::buy ? 0 : 2) + (below ? 0 : 1));
      set_trigger(slot, rule, book, op.id, below ? -op.value : op.value);
    }
  }
}

void Engine::record_update(uint32_t slot, uint8_t rule, const Actions& actions, int64_t time) {
  const PositionRecord& p = positions_[slot];
  if (!actions.state) return;
  if (actions.close && (actions.volume == 0 || actions.volume >= p.volume)) return;  // it is closing anyway
  RuleUpdate update{p.key, p.instrument, rule, *actions.state, {}, time};
  for (const Actions::LevelOp& op : actions.ops)
    if (!op.clear && !op.deadline) update.levels.emplace_back(op.id, op.value);
  updates_.push_back(std::move(update));
}

void Engine::take_rule_updates(std::vector<RuleUpdate>& out) {
  if (out.empty())
    out.swap(updates_);
  else
    std::move(updates_.begin(), updates_.end(), std::back_inserter(out));
  updates_.clear();
}

void Engine::set_trigger(uint32_t slot, uint8_t rule, uint8_t book, uint32_t id, int64_t key) {
  bool deadline = book == kDeadline;
  for (uint32_t t = positions_[slot].first_trigger; t != kNone; t = triggers_[t].next) {
    TriggerRecord& tr = triggers_[t];
    if (tr.rule != rule || tr.id != id || (tr.book == kDeadline) != deadline) continue;
    bool was_armed = tr.state == TriggerState::armed;
    disarm_trigger(t);
    tr.book = book;
    tr.key = key;
    if (was_armed) arm_trigger(t);
    return;
  }
  uint32_t t = allocate_trigger();
  triggers_[t] = {slot, positions_[slot].first_trigger, id, rule, book, TriggerState::waiting, key};
  positions_[slot].first_trigger = t;
  if (positions_[slot].flags & kArmed) arm_trigger(t);
}

void Engine::clear_trigger(uint32_t slot, uint8_t rule, bool deadline, uint32_t id) {
  for (uint32_t* link = &positions_[slot].first_trigger; *link != kNone; link = &triggers_[*link].next) {
    TriggerRecord& tr = triggers_[*link];
    if (tr.rule != rule || tr.id != id || (tr.book == kDeadline) != deadline) continue;
    uint32_t t = *link;
    disarm_trigger(t);
    *link = tr.next;
    tr.state = TriggerState::free;
    tr.next = free_trigger_;
    free_trigger_ = t;
    return;
  }
}

std::string Engine::name_of(uint32_t slot) const {
  if (auto member = members_.find(slot); member != members_.end()) return member->second.id;
  uint64_t key = positions_[slot].key;
  return names_ ? names_(key) : std::to_string(key);
}

void Engine::release_fired() {
  for (const Retry& r : retry_)
    if (positions_[r.slot].generation == r.generation && (positions_[r.slot].flags & kLive))
      set_trigger(r.slot, r.rule, r.book, r.id, r.key);
  retry_.clear();
  for (uint32_t t : spent_) {
    triggers_[t].state = TriggerState::free;
    triggers_[t].next = free_trigger_;
    free_trigger_ = t;
  }
  spent_.clear();
}

size_t Engine::memory_bytes() const noexcept {
  size_t bytes = positions_.capacity() * sizeof(PositionRecord) + triggers_.capacity() * sizeof(TriggerRecord) +
                 trigger_slots_.capacity() * sizeof(uint32_t) + position_slots_.capacity() * sizeof(uint32_t) +
                 deadlines_.capacity_bytes();
  for (const auto& b : books_) {
    for (const auto& book : b.book) bytes += book.capacity_bytes();
    bytes += b.waiting.capacity_bytes();
  }
  return bytes;
}

}  // namespace vigil::core
