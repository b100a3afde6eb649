// A host's heartbeat (store.h, ABI 1.3) on the tables of
// schemas/postgres/007_cluster.sql: one transaction, every time the
// database's clock (now()), so hosts with skewed clocks agree.
//
// Order inside the transaction, chosen so that heartbeats and fenced groups
// (pg_group_guards.hpp) can run side by side without deadlocks or double
// claims:
//   1. the first heartbeat ever creates the shard_count lease rows (never
//      held, expired); a different count than the rows hold is refused;
//   2. every lease row the round may change (the host's own, the claimed)
//      is locked FOR UPDATE in one statement, in shard order, as fences
//      lock theirs: no cycle can form. A lease a fenced group holds FOR
//      SHARE makes the round wait until that group commits;
//   3. renew the host's unexpired leases, give up `release`, take each of
//      `claim` that is free or expired (epoch + 1): conditional UPDATEs on
//      rows already locked, so two hosts never both take one shard;
//   4. record the host as seen; forget a bounded batch of expired nonces
//      (SKIP LOCKED: never waits on a group claiming one);
//   5. read every lease and every host.
// An empty host_id runs only 1's check and 5.
#pragma once

#include <pqxx/pqxx>

#include "pg_connection.hpp"
#include "vigil/store.h"

namespace vigil::store::postgres {

// What a round read at its end, visited after commit.
struct LeaseRound {
  pqxx::result leases;  // shard, owner, epoch, expires_in_ms, held_for_ms
  pqxx::result hosts;   // id, address, seen_ms_ago
};

// Throws std::invalid_argument naming the field of a request the store
// cannot take (shard_count, lease_ms, a shard out of range, ...).
void check_heartbeat(const vigil_store_heartbeat& request);

// Runs one round in `txn` (the caller commits). Throws sdk::Error
// VIGIL_INVALID_ARGUMENT when the database's cluster has another number of
// shards; pqxx errors as they come.
LeaseRound run_heartbeat(Connection& connection, pqxx::transaction_base& txn, const vigil_store_heartbeat& request);

// Hands the round's leases (VIGIL_ENTITY_LEASE, by shard), then its hosts
// (VIGIL_ENTITY_HOST, by id), to the visitor; throws sdk::Error with the
// visitor's status when it asks to stop.
void visit_round(const LeaseRound& round, const vigil_store_visitor& visitor);

}  // namespace vigil::store::postgres
