/*
 * Vigil plugin ABI — stores: durable state.
 *
 * Core keeps live state in memory and hands a store *groups of writes*; the
 * store commits each group in one transaction (group commit: many breaches,
 * one fsync). The store enforces the invariants that protect money even
 * against a buggy or second host: foreign keys, at most one live (pending or
 * acknowledged) close command per position, optimistic versions on updates.
 *
 * Records are flat structs of borrowed strings and integers. Prices and
 * volumes are decimal text (the store needs no instrument digits); an empty
 * string means "none". Times are unix milliseconds, 0 meaning "not yet".
 *
 * Threading: apply and query are called concurrently; a store serialises
 * what its database needs serialised.
 */
#ifndef VIGIL_STORE_H
#define VIGIL_STORE_H

#include "vigil/abi.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
  VIGIL_ENTITY_CLIENT = 1,   /* vigil_store_client */
  VIGIL_ENTITY_DEVICE = 2,   /* vigil_store_device */
  VIGIL_ENTITY_SIGNAL = 3,   /* vigil_store_signal */
  VIGIL_ENTITY_POSITION = 4, /* vigil_store_position */
  VIGIL_ENTITY_COMMAND = 5,  /* vigil_store_command */
  VIGIL_ENTITY_AUDIT = 6,    /* vigil_store_audit (append only) */
  VIGIL_ENTITY_META = 7,     /* vigil_store_meta (key-value) */
  /* ABI 1.3, for several hosts on one store (see the end of this file). */
  VIGIL_ENTITY_FENCE = 8,    /* vigil_store_fence (a write's guard) */
  VIGIL_ENTITY_NONCE = 9,    /* vigil_store_nonce (insert only) */
  VIGIL_ENTITY_LEASE = 10,   /* vigil_store_lease (heartbeat's answer) */
  VIGIL_ENTITY_HOST = 11     /* vigil_store_host (heartbeat's answer) */
};

typedef struct vigil_store_client {
  size_t struct_size;
  vigil_str id;
  vigil_str name;
  int64_t created_at;
} vigil_store_client;

typedef struct vigil_store_device {
  size_t struct_size;
  vigil_str id;
  vigil_str client_id;
  vigil_str name;
  vigil_str secret_token; /* the device secret, encrypted by the cipher */
  int32_t active;
  int64_t created_at;
} vigil_store_device;

typedef struct vigil_store_signal {
  size_t struct_size;
  vigil_str id;
  vigil_str client_id;
  vigil_str instrument;
  int32_t side; /* VIGIL_SIDE_BUY / VIGIL_SIDE_SELL (rule.h) */
  vigil_str volume;
  vigil_str entry_price;
  vigil_str owner_sl;
  vigil_str owner_tp;
  vigil_str payload_token; /* encrypted payload, empty when none */
  vigil_str rules_json;    /* rules chosen for this signal and their params */
  int64_t created_at;
} vigil_store_signal;

typedef struct vigil_store_position {
  size_t struct_size;
  vigil_str id;
  vigil_str signal_id;
  vigil_str device_id;
  vigil_str client_id;
  vigil_str instrument;
  int32_t side;
  /* pending | acknowledged | open | closing | closed | rejected */
  vigil_str state;
  int64_t version; /* incremented on every update */
  vigil_str volume;
  vigil_str entry_price;
  vigil_str owner_sl;
  vigil_str owner_tp;
  vigil_str execution_id;
  vigil_str broker_ticket;
  vigil_str actual_entry_price;
  vigil_str filled_volume;
  vigil_str close_price;
  vigil_str close_reason;
  vigil_str rule_state_json; /* rules' saved state and moved levels */
  vigil_str error_message;
  int64_t created_at;
  int64_t opened_at;
  int64_t closed_at;
  int64_t updated_at;
} vigil_store_position;

typedef struct vigil_store_command {
  size_t struct_size;
  vigil_str id;
  vigil_str position_id;
  vigil_str device_id;
  vigil_str reason;
  vigil_str expected_price; /* the trigger price that fired */
  vigil_str level;          /* the level that was crossed */
  vigil_str volume;         /* volume to close; empty = all */
  /* pending | acknowledged | executed | failed | expired */
  vigil_str status;
  int64_t version;
  vigil_str actual_close_price;
  vigil_str broker_deal;
  vigil_str error_message;
  int32_t attempts;
  int64_t created_at;
  int64_t executed_at;
  int64_t updated_at;
} vigil_store_command;

/* One row of the append-only audit log, chained by hashes so that tampering
 * is detectable. The chain is computed BY THE STORE inside the append
 * transaction (only the database knows the true previous row, also with
 * several hosts): on insert the store ignores the record's seq, prev_hash
 * and hash; it assigns seq, takes prev_hash from the row before (64 '0'
 * characters for the first row) and sets hash to the lowercase hex SHA-256
 * of the row's canonical form: for each of the fields seq (decimal), at
 * (decimal), entity, entity_id, action, detail_json, prev_hash, in that
 * order, the field's length in bytes in decimal, ':', the field's bytes,
 * then '\n'. An empty detail_json is the field "0:\n". Example, the first
 * row (seq 1, at 5, "position", "p1", "opened", "{}"):
 *   "1:1\n1:5\n8:position\n2:p1\n6:opened\n2:{}\n64:000...000\n"
 * Appends are serialised, so concurrent writers extend one chain. Queries
 * return the stored values. */
typedef struct vigil_store_audit {
  size_t struct_size;
  int64_t seq; /* assigned by the store on append; strictly increasing */
  int64_t at;
  vigil_str entity;    /* "position", "command", ... */
  vigil_str entity_id;
  vigil_str action;    /* "opened", "closing", "executed", ... */
  vigil_str detail_json;
  vigil_str prev_hash; /* the previous row's hash; set by the store */
  vigil_str hash;      /* SHA-256 of this row's canonical form; set by the store */
} vigil_store_audit;

typedef struct vigil_store_meta {
  size_t struct_size;
  vigil_str key;
  vigil_str value;
} vigil_store_meta;

enum { VIGIL_WRITE_INSERT = 1, VIGIL_WRITE_UPDATE = 2, VIGIL_WRITE_UPSERT = 3 };

/* One write of a group. For VIGIL_WRITE_UPDATE of a position or command the
 * row's stored version must equal `record.version - 1`, else the whole
 * group fails with VIGIL_CONFLICT. */
typedef struct vigil_store_write {
  size_t struct_size;
  int32_t entity;     /* VIGIL_ENTITY_* */
  int32_t op;         /* VIGIL_WRITE_* */
  const void* record; /* the entity's struct */
} vigil_store_write;

/* Selects records. Unused filters are empty / 0. */
typedef struct vigil_store_query {
  size_t struct_size;
  int32_t entity;
  vigil_str id;        /* one record by id (META: by key) */
  vigil_str owner_id;  /* positions/commands: device id; devices: client id */
  vigil_str states;    /* comma-separated states/statuses to include */
  int64_t after_seq;   /* audit: rows with seq > after_seq */
  int64_t limit;       /* 0 = no limit */
} vigil_store_query;

/* Receives query results one record at a time, in a stable order (audit:
 * by seq). OWNERSHIP: the record is store-owned, valid during the call.
 * Returning non-OK stops the query with that status. */
typedef struct vigil_store_visitor {
  size_t struct_size;
  void* ctx;
  vigil_status (*on_record)(void* ctx, int32_t entity, const void* record);
} vigil_store_visitor;

/* ---- ABI 1.3: several hosts on one store (heartbeat, wait_changes). */

/* A write's guard (op VIGIL_WRITE_INSERT), not a row: the group commits
 * only while `owner` holds the lease of `shard` at `epoch`, unexpired. The
 * store checks it before any other write of the group and keeps the lease
 * from being taken over until the group commits; otherwise the whole group
 * fails with VIGIL_CONFLICT. So a host that lost a shard (paused, cut off)
 * can never write for it after another took it over. */
typedef struct vigil_store_fence {
  size_t struct_size;
  int32_t shard;
  vigil_str owner; /* host id */
  int64_t epoch;
} vigil_store_fence;

/* A signed request's nonce (op VIGIL_WRITE_INSERT): the group fails with
 * VIGIL_CONFLICT when the device's nonce is already claimed and its
 * expires_at is still after this claim's claimed_at. */
typedef struct vigil_store_nonce {
  size_t struct_size;
  vigil_str device_id;
  vigil_str nonce;
  int64_t claimed_at; /* unix ms */
  int64_t expires_at; /* unix ms: may be forgotten after */
} vigil_store_nonce;

/* A shard's lease, as a heartbeat reads it. */
typedef struct vigil_store_lease {
  size_t struct_size;
  int32_t shard;
  vigil_str owner;       /* host id; empty when never held or given up */
  int64_t epoch;         /* + 1 at every take-over */
  int64_t expires_in_ms; /* by the database's clock; <= 0: expired */
  int64_t held_for_ms;   /* since its owner took it */
} vigil_store_lease;

/* A host as the leases table knows it. */
typedef struct vigil_store_host {
  size_t struct_size;
  vigil_str id;
  vigil_str address;    /* where it serves, as it said */
  int64_t seen_ms_ago;  /* since its last heartbeat, by the database's clock */
} vigil_store_host;

typedef struct vigil_store_heartbeat {
  size_t struct_size;
  vigil_str host_id; /* empty: read only */
  vigil_str address;
  int32_t shard_count;
  int64_t lease_ms; /* a lease taken or renewed now expires after this */
  const int32_t* claim;
  size_t claim_count;
  const int32_t* release;
  size_t release_count;
} vigil_store_heartbeat;

typedef struct vigil_store_vtable {
  size_t struct_size;
  /* Required. See rule.h for the create/destroy contract. */
  vigil_status (*create)(const vigil_create_args* args, void** instance,
                         vigil_error* error);
  void (*destroy)(void* instance);
  /* Required. Applies pending schema migrations in order; refuses a
   * database newer than the plugin. Writes the resulting version. */
  vigil_status (*migrate)(void* instance, int64_t* schema_version,
                          vigil_error* error);
  /* Required. Commits `count` writes in one durable transaction, or none.
   * The writes are applied by entity, parents first (client, device,
   * signal, position, command, audit, meta), in their given order within
   * an entity; audit rows are chained in that order. */
  vigil_status (*apply)(void* instance, const vigil_store_write* writes,
                        size_t count, vigil_error* error);
  /* Required. Visits the records a query selects. */
  vigil_status (*query)(void* instance, const vigil_store_query* query,
                        const vigil_store_visitor* visitor, vigil_error* error);

  /* ---- ABI 1.3, optional: several hosts on one store. A store that
   * leaves these NULL serves one host; the host refuses a cluster config
   * with it. A store that gives them also takes the FENCE and NONCE writes
   * in `apply`. */

  /* One round of a host's lease keeping, in one transaction, by the
   * database's clock: records the host as alive; renews every unexpired
   * lease it holds; gives up `release`; takes each of `claim` that is free
   * or expired (its epoch + 1). Then visits every lease
   * (VIGIL_ENTITY_LEASE, by shard) and every host seen
   * (VIGIL_ENTITY_HOST). An empty host_id only reads (`vigil cluster
   * status`). Refuses (VIGIL_INVALID) a shard_count other than the one the
   * database's cluster was started with. */
  vigil_status (*heartbeat)(void* instance,
                            const vigil_store_heartbeat* request,
                            const vigil_store_visitor* visitor,
                            vigil_error* error);
  /* Returns once the audit log holds a row with seq > after_seq (written by
   * any host), or after timeout_ms; writes the highest seq stored to
   * `last_seq`. A commit anywhere wakes it at once (PostgreSQL: LISTEN /
   * NOTIFY). One caller at a time. */
  vigil_status (*wait_changes)(void* instance, int64_t after_seq,
                               int64_t timeout_ms, int64_t* last_seq,
                               vigil_error* error);
} vigil_store_vtable;

#ifdef __cplusplus
}
#endif

#endif /* VIGIL_STORE_H */
