/*
 * Vigil plugin ABI — rules: exit policies that declare levels.
 *
 * A rule never scans prices. For each position it *declares* price levels
 * ("tell me when the trigger price is at or below X") and deadlines ("tell me
 * at time T"). The engine keeps every declared level in sorted books and
 * calls the rule back only when a tick crosses one, so a tick costs
 * O(log n + k) for n positions and k crossed levels, whatever the rules.
 *
 * Trigger price: the bid for a BUY position, the ask for a SELL position
 * (the side the position would be closed on). Prices are fixed-point
 * integers: value / 10^digits of the position's instrument.
 *
 * Levels and deadlines are one-shot: when one fires it is removed before the
 * rule is called, and the rule declares it again if it still wants it.
 *
 * Threading: the engine calls a rule instance from several shard threads at
 * once (one position is only ever on one shard). Keep per-position state in
 * `save_state`, not in the instance, and the rule is thread-safe for free.
 */
#ifndef VIGIL_RULE_H
#define VIGIL_RULE_H

#include "vigil/abi.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { VIGIL_SIDE_BUY = 1, VIGIL_SIDE_SELL = 2 };

/* Which crossing of a level fires it. */
enum {
  VIGIL_CROSS_AT_OR_BELOW = 1, /* trigger price <= level */
  VIGIL_CROSS_AT_OR_ABOVE = 2  /* trigger price >= level */
};

/* Volumes are fixed-point with 8 decimals: 0.01 lot = 1000000. */
#define VIGIL_VOLUME_SCALE 100000000

/* The position as a rule sees it.
 * OWNERSHIP: host-owned, valid during the call only. */
typedef struct vigil_position_view {
  size_t struct_size;
  vigil_str position_id;
  vigil_str instrument;
  int32_t digits;      /* price = value / 10^digits */
  int32_t side;        /* VIGIL_SIDE_BUY or VIGIL_SIDE_SELL */
  int64_t volume;      /* open volume, VIGIL_VOLUME_SCALE */
  int64_t entry_price; /* actual entry price once known, else the signal's */
  int32_t has_sl;      /* owner_sl present */
  int32_t has_tp;      /* owner_tp present */
  int64_t owner_sl;
  int64_t owner_tp;
  int64_t opened_at_unix_ms;
  /* This rule's parameters for this position, JSON text ("{}" if none). */
  vigil_str params_json;
  /* What the rule last saved with save_state for this position. Empty at
   * the first attach; the host persists it, and after a restart attach sees
   * what was saved before, so the rule resumes where it stood (declaring
   * the moved levels again, not the original ones). */
  vigil_str state;
  /* --- since 1.1 (check with VIGIL_HAS_FIELD) --- */
  /* The account the position belongs to: its client in vigild, the
   * positions file's client_id in vigil replay; empty when none. Rules that
   * judge several positions together (a drawdown guard) group by it. */
  vigil_str group;
} vigil_position_view;

enum { VIGIL_TRIGGER_LEVEL = 1, VIGIL_TRIGGER_DEADLINE = 2 };

/* What fired. */
typedef struct vigil_rule_trigger {
  size_t struct_size;
  int32_t kind; /* VIGIL_TRIGGER_LEVEL or VIGIL_TRIGGER_DEADLINE */
  uint32_t id;  /* the level_id or deadline_id the rule declared */
  int64_t level;         /* the declared level (0 for a deadline) */
  int64_t price;         /* trigger price of the tick (bid BUY, ask SELL) */
  int64_t bid;           /* the instrument's full quote at that moment */
  int64_t ask;
  int64_t time_unix_ms;  /* the tick's time, or the deadline */
} vigil_rule_trigger;

/* What a rule can do to a position, valid during the call only.
 * All functions record the wish; the engine applies it after the call
 * returns successfully (an error status discards them all). */
typedef struct vigil_rule_actions {
  size_t struct_size;
  void* ctx;
  /* Declares level `level_id` of this rule, or moves it if it exists. */
  void (*set_level)(void* ctx, uint32_t level_id, int32_t cross, int64_t price);
  void (*clear_level)(void* ctx, uint32_t level_id);
  /* Declares (or moves) deadline `deadline_id` at `unix_ms`. */
  void (*set_deadline)(void* ctx, uint32_t deadline_id, int64_t unix_ms);
  void (*clear_deadline)(void* ctx, uint32_t deadline_id);
  /* Asks to close. `reason` is a snake_case word ("sl_hit", "tp_hit", ...),
   * copied by the host. `price` is the trigger price, `level` the level that
   * was crossed (they differ after a gap), `volume` the volume to close
   * (VIGIL_VOLUME_SCALE) or 0 for all of it. The first close of a position
   * wins; the position then produces no further events. */
  void (*close)(void* ctx, const char* reason, int64_t price, int64_t level,
                int64_t volume);
  /* Replaces this rule's saved state for this position (copied). */
  void (*save_state)(void* ctx, vigil_str state);
  /* --- since 1.1 (check with VIGIL_HAS_FIELD) --- */
  /* Asks to close another live position of the same group, all of it, at
   * market (there is no level): `position_id` as the rule saw it in a
   * position view, `reason` as for close. The host closes it through its
   * own path and calls detach for it; a position of another group, or one
   * no longer live, is ignored (and logged). */
  void (*close_other)(void* ctx, vigil_str position_id, const char* reason);
} vigil_rule_actions;

typedef struct vigil_rule_vtable {
  size_t struct_size;
  /* Required. Creates an instance from the config's options.
   * Return value: VIGIL_OK and *instance set, or an error and a message. */
  vigil_status (*create)(const vigil_create_args* args, void** instance,
                         vigil_error* error);
  /* Required. Destroys an instance. Never called concurrently with others. */
  void (*destroy)(void* instance);
  /* Required. Validates the position for this rule and declares its first
   * levels and deadlines. VIGIL_INVALID_ARGUMENT rejects the position: the
   * message must say why in words an operator understands (the host adds
   * the position id). */
  vigil_status (*attach)(void* instance, const vigil_position_view* position,
                         const vigil_rule_actions* actions, vigil_error* error);
  /* Required. A level or deadline of this rule fired for this position.
   * Answer by closing, moving levels, or doing nothing. */
  vigil_status (*on_trigger)(void* instance,
                             const vigil_position_view* position,
                             const vigil_rule_trigger* trigger,
                             const vigil_rule_actions* actions,
                             vigil_error* error);
  /* --- since 1.1 (optional: NULL, or absent in a 1.0 vtable) --- */
  /* The position left the engine (closed by any rule or by the host,
   * cancelled, removed, or refused by a rule's attach): forget what the
   * instance keeps for it, and ignore a position it does not know. No
   * actions: the position is gone. */
  void (*detach)(void* instance, const vigil_position_view* position);
} vigil_rule_vtable;

#ifdef __cplusplus
}
#endif

#endif /* VIGIL_RULE_H */
