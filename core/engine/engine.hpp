// The breach engine: decides, on every tick, which positions' hidden levels
// the tick crosses — touching only those.
//
// Rules (plugins) declare price levels and deadlines per position; the engine
// keeps them in per-instrument trigger books and calls a rule back only when
// one of its levels is crossed.
//
// Books. Per instrument there are four: {bid, ask} x {at or below, at or
// above}. A BUY position's levels go on the bid side, a SELL's on the ask
// side (docs/breach-semantics.md). Each book is an indexed min-heap (levels "at
// or below" are stored negated), so the nearest level of every book is at
// its top:
//   - a tick that crosses nothing costs four comparisons, O(1);
//   - a tick that crosses k levels costs O(k log n);
//   - adding, moving or removing a level costs O(log n).
// DESIGN.md asks for sorted books with O(log n + k) ticks; the heap is
// better on the hot path (O(1) when nothing is crossed, which is nearly
// every tick) and uses 36 bytes per level against ~70 for a tree node, at the
// price of log n per crossed level — noise next to the rule callback and the
// durable write that each crossing causes anyway.
//
// Deadlines sit in one more heap keyed by time, fired by advance_time() or
// by the time of any tick.
//
// Threading: an Engine is single-threaded. The host runs one per instrument
// shard and feeds it through a queue (EngineShard); nothing here locks.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/domain/instruments.hpp"
#include "core/domain/side.hpp"
#include "core/engine/indexed_heap.hpp"
#include "core/engine/rule_failures.hpp"
#include "vigil/rule.h"

namespace vigil::core {

class Histogram;

// A rule component the engine can call (the plugin's vtable and instance).
struct EngineRule {
  std::string name;
  const vigil_rule_vtable* vtable = nullptr;
  void* instance = nullptr;
  // Where the time of each attach and on_trigger call is recorded (they
  // must outlive the engine); null: not timed.
  Histogram* attach_seconds = nullptr;
  Histogram* on_trigger_seconds = nullptr;
  // While this rule is failing on a position (from its first failure, when
  // the alert is raised), the engine watches the position's own owner_sl
  // and owner_tp as rule-sltp would, and closes it there with reason
  // fallback_sl_hit / fallback_tp_hit, rather than leave it unwatched. Off
  // unless the config says `fallback: owner_stop` for the rule.
  bool fallback_to_owner_stop = false;
};

// A rule chosen for one position, with that position's parameters.
struct RuleChoice {
  uint16_t rule = 0;  // index into the engine's rules
  std::string params_json = "{}";
};

struct NewPosition {
  uint64_t key = 0;  // the caller's handle, echoed in events and ordering them
  std::string id;    // shown to rules and in errors
  InstrumentId instrument = 0;
  Side side = Side::buy;
  int64_t volume = 0;  // VIGIL_VOLUME_SCALE
  int64_t entry_price = 0;
  std::optional<int64_t> owner_sl;
  std::optional<int64_t> owner_tp;
  // Ticks before this time are not evaluated for the position (0 = none).
  int64_t opened_at_unix_ms = 0;
  std::vector<RuleChoice> rules;
  // The account the position belongs to (its client), shown to rules that
  // judge positions together; empty: none.
  std::string group;
  // What each rule saved before a restart (same order as `rules`; empty or
  // missing: nothing). Its attach sees it and resumes from it.
  std::vector<std::string> rule_states;
};

// A position's first close: the engine forgets the position after it.
struct CloseEvent {
  uint64_t key = 0;
  InstrumentId instrument = 0;
  std::string reason;
  int64_t price = 0;   // the trigger price of the tick (bid BUY, ask SELL)
  int64_t level = 0;   // the level that was crossed
  int64_t volume = 0;  // 0 = all
  int64_t time_unix_ms = 0;
  int64_t tick_sequence = -1;
  // Set when a rule of position `key` asked to close another position of
  // its group (close_other): that position's id, closed whole at market
  // (price and level 0). The caller resolves it, checks it is in the same
  // group, and removes it from its engine; position `key` stays live.
  std::string target_id;
  // When the host accepted the tick that caused it (monotonic_ns), for the
  // breach latency; 0 for a deadline or a close without a tick.
  int64_t tick_accepted_ns = 0;
};

// A rule saved its state for a live position in a callback (attach
// excluded: what attach does follows from the position itself), with the
// levels it set in the same call. The host persists `state` so a restart
// resumes where the rule stood, and audits the moved levels. Levels moved
// without a state (a drawdown guard's bands) are transient by the rule's
// own design and not recorded. Only recorded when asked (keep_rule_updates).
struct RuleUpdate {
  uint64_t key = 0;
  InstrumentId instrument = 0;
  uint8_t rule = 0;                                  // index in the position's rule choices
  std::string state;                                 // the state saved
  std::vector<std::pair<uint32_t, int64_t>> levels;  // levels set: id, price
  int64_t time_unix_ms = 0;
};

// A rule refused a position (invalid levels, bad parameters...): it said so
// with VIGIL_INVALID_ARGUMENT.
class PositionRejected : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A rule failed on a position for a reason of its own (an exception that
// escaped it, an internal error): not the position's fault.
class RuleFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An engine handle for a live position: slot plus generation, so a stale
// handle (the position closed meanwhile) is recognised, never misapplied.
struct PositionHandle {
  uint32_t slot = UINT32_MAX;
  uint32_t generation = 0;
};

// The id of a position, by the caller's key: what rules and log lines show.
// The engine keeps no ids of its own (they would double its memory per
// position); without this it shows the key.
using PositionNames = std::function<std::string(uint64_t key)>;

class Engine {
 public:
  Engine(const Instruments& instruments, std::vector<EngineRule> rules, PositionNames names = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Attaches the position's rules, which validate it and declare its levels.
  // Throws PositionRejected with "position ID: rule NAME: why" when a rule
  // refuses it, RuleFailed (the same, and the status) when a rule fails.
  PositionHandle add(const NewPosition& position);
  // Forgets a position (cancelled, closed elsewhere). False if stale.
  bool remove(PositionHandle handle);

  // One tick of `instrument`; an absent side keeps its previous price.
  // Appends the close events it causes to `out`, ordered by position key.
  void on_tick(InstrumentId instrument, std::optional<int64_t> bid, std::optional<int64_t> ask, int64_t time_unix_ms,
               int64_t sequence, std::vector<CloseEvent>& out);
  // Fires deadlines due at `now_unix_ms` without a tick, and starts watching
  // positions whose opened_at has come.
  void advance_time(int64_t now_unix_ms, std::vector<CloseEvent>& out);

  // Records RuleUpdates from now on (off by default: replay and benchmarks
  // have no use for them); take_rule_updates() hands them over.
  void keep_rule_updates(bool on) noexcept { keep_updates_ = on; }
  void take_rule_updates(std::vector<RuleUpdate>& out);

  size_t open_positions() const noexcept { return live_positions_; }
  // Heap memory the engine holds for positions and levels (capacity, not size).
  size_t memory_bytes() const noexcept;
  // Rule callbacks that failed (logged); their position stays watched.
  uint64_t rule_errors() const noexcept { return rule_errors_; }
  // Failures by rule, and the positions whose rule is failing now.
  const RuleFailureLog& rule_failures() const noexcept { return failures_; }

 private:
  // Where a trigger lives: one of the four books, or the deadline heap.
  enum Book : uint8_t { kBidBelow = 0, kBidAbove = 1, kAskBelow = 2, kAskAbove = 3, kDeadline = 4 };
  enum class TriggerState : uint8_t { waiting, armed, fired, free };

  struct TriggerRecord {
    uint32_t position;
    uint32_t next;  // next trigger of the same position, or the free list
    uint32_t id;    // the rule's level_id / deadline_id
    uint8_t rule;   // index in the position's rule choices
    uint8_t book;
    TriggerState state;
    int64_t key;  // heap key: level (negated for "below" books) or time
  };

  struct PositionRecord {
    uint64_t key;
    int64_t entry_price;
    int64_t volume;
    int64_t owner_sl;
    int64_t owner_tp;
    int64_t opened_at;
    InstrumentId instrument;
    uint32_t first_trigger;
    uint32_t generation;
    uint16_t rule_set;
    Side side;
    uint8_t flags;  // kHasSl | kHasTp | kLive | kArmed
  };
  static constexpr uint8_t kHasSl = 1, kHasTp = 2, kLive = 4, kArmed = 8;

  struct Quote {
    int64_t bid = 0, ask = 0;
    bool has_bid = false, has_ask = false;
    int64_t last_time = INT64_MIN;
  };

  struct InstrumentBooks;
  struct Actions;
  struct Fired {
    uint64_t position_key;
    uint32_t trigger;
  };

  InstrumentBooks& books(InstrumentId instrument);
  uint16_t intern_rule_set(const std::vector<RuleChoice>& rules);
  uint32_t allocate_position();
  uint32_t allocate_trigger();
  void arm(uint32_t position);
  void arm_trigger(uint32_t trigger);
  void disarm_trigger(uint32_t trigger);
  void release_position(uint32_t position);
  void detach_rules(uint32_t position);
  uint32_t intern_group(const std::string& group);
  void fill_view(uint32_t position, uint8_t rule, vigil_position_view& view, std::string& id_storage) const;
  std::optional<int64_t> trigger_price(const PositionRecord& p) const;
  void collect_crossed(InstrumentBooks& b, std::vector<Fired>& fired);
  void collect_due(int64_t now, std::vector<Fired>& fired);
  void process(std::vector<Fired>& fired, int64_t time, int64_t sequence, std::vector<CloseEvent>& out);
  void fire(uint32_t trigger, int64_t time, int64_t sequence, std::vector<CloseEvent>& out);
  // The fallback (EngineRule::fallback_to_owner_stop): arms or drops the
  // position's own stop-loss and take-profit, and closes at them.
  void note_failure(uint32_t position, uint8_t rule, const std::string& error, int64_t time);
  void note_success(uint32_t position, uint8_t rule);
  void set_owner_stop(uint32_t position, bool on);
  void fire_owner_stop(const TriggerRecord& trigger, int64_t time, int64_t sequence, std::vector<CloseEvent>& out);
  vigil_status call_rule(uint32_t position, uint8_t rule, const vigil_rule_trigger* trigger, Actions& actions,
                         std::string& error);
  void apply(uint32_t position, uint8_t rule, Actions& actions);
  void record_update(uint32_t position, uint8_t rule, const Actions& actions, int64_t time);
  void set_trigger(uint32_t position, uint8_t rule, uint8_t book, uint32_t id, int64_t key);
  void clear_trigger(uint32_t position, uint8_t rule, bool deadline, uint32_t id);
  // Frees fired triggers and re-arms those whose rule failed.
  void release_fired();

  std::string name_of(uint32_t slot) const;

  const Instruments& instruments_;
  std::vector<EngineRule> rules_;
  PositionNames names_;
  const std::string* adding_id_ = nullptr;  // the id of the position being attached
  std::vector<std::vector<RuleChoice>> rule_sets_;
  std::vector<PositionRecord> positions_;
  std::vector<TriggerRecord> triggers_;
  std::vector<uint32_t> trigger_slots_;   // heap index of each trigger
  std::vector<uint32_t> position_slots_;  // heap index of each waiting position
  std::vector<InstrumentBooks> books_;
  IndexedHeap deadlines_;
  std::unordered_map<uint64_t, std::string> rule_states_;  // (position slot, rule) -> saved state
  // Positions with a group keep their id and group here (vigild: all of
  // them), so rules that judge a group see stable ids; the others pay
  // nothing for it.
  struct Member {
    uint32_t group;
    std::string id;
  };
  std::unordered_map<uint32_t, Member> members_;  // by position slot
  std::vector<std::string> group_names_;
  std::unordered_map<std::string, uint32_t> group_index_;
  bool keep_updates_ = false;
  std::vector<RuleUpdate> updates_;
  std::vector<Fired> fired_;
  std::vector<uint32_t> spent_;  // fired triggers, released after the tick
  struct Retry {
    uint32_t slot, generation;
    uint8_t rule, book;
    uint32_t id;
    int64_t key;
  };
  std::vector<Retry> retry_;  // triggers whose rule failed, re-armed after the tick
  uint32_t free_position_ = UINT32_MAX;
  uint32_t free_trigger_ = UINT32_MAX;
  size_t live_positions_ = 0;
  uint64_t rule_errors_ = 0;
  RuleFailureLog failures_;
};

}  // namespace vigil::core
