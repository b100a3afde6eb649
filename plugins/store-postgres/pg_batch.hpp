// A group of writes as few statements: one round trip per run of writes to
// one table with one operation, instead of one per write (a round trip
// costs about as much as executing a small statement, so a group of 768
// writes spent nearly all its time waiting on the network).
//
// In apply order (apply_writes.hpp: parents first, order kept within a
// table), each run of one table and operation is one statement over
// unnest() of arrays, one array per column.
#pragma once

#include <pqxx/pqxx>
#include <vector>

#include "apply_writes.hpp"
#include "pg_connection.hpp"

namespace vigil::store::postgres {

// Returns false when a batch statement was refused or an update (or upsert)
// changed fewer rows than it carried, a missing row or a stale version: the
// transaction must then be rolled back, and the group replayed statement by
// statement in a new one (apply_writes), which names the write at fault.
// Throws for what a replay cannot fix (a lost connection).
bool apply_batched(Connection& connection, pqxx::transaction_base& txn, WriteTarget& target,
                   const std::vector<CheckedWrite>& group);

}  // namespace vigil::store::postgres
