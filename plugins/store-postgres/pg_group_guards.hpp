// ABI 1.3's FENCE and NONCE writes (cluster_writes.hpp) inside a group's
// transaction, before any of its rows, so a refused guard writes nothing.
//
// A fence reads its shard's lease FOR SHARE: the group goes on only while
// the fence's host holds the lease at the fence's epoch, unexpired by the
// database's clock, and the row lock keeps a take-over (an UPDATE of the
// lease, pg_leases.hpp) waiting until the group commits. A group that
// starts after a take-over reads the new epoch (READ COMMITTED's FOR SHARE
// reads the row's latest version) and fails. Fences lock in shard order, as
// heartbeats do, so the two cannot deadlock.
//
// A nonce is an upsert that succeeds only when the device's nonce is new or
// expired at the claim's time.
#pragma once

#include <pqxx/pqxx>

#include "cluster_writes.hpp"
#include "pg_connection.hpp"

namespace vigil::store::postgres {

// Throws sdk::Error VIGIL_CONFLICT naming the shard, host and epoch of a
// fence that does not hold, or the device and nonce already claimed; the
// caller rolls back. `rows_follow`: the group also writes rows (else, with
// only nonces, its commit does not wait for the WAL's flush).
void check_group_guards(Connection& connection, pqxx::transaction_base& txn, const ClusterWrites& cluster,
                        bool rows_follow);

}  // namespace vigil::store::postgres
