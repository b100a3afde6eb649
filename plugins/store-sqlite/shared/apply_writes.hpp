// One group of checked writes inside a dialect's transaction: the statement
// of each write, the version rule when an update changes nothing, the audit
// chain (seq, prev_hash and hash of each appended audit row, computed here
// from the log's locked last row), and the store's error (with table, row and
// constraint) when the database refuses.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sql_text.hpp"
#include "write_check.hpp"

namespace vigil::store {

// What apply_writes needs from a dialect's open transaction.
class WriteTarget {
 public:
  virtual ~WriteTarget() = default;
  // Runs `sql`; returns the number of rows it changed. Throws
  // ConstraintFailure for a refused constraint, sdk::Error for the rest.
  virtual int64_t execute(const std::string& sql, const std::vector<Value>& params) = 0;
  // The first column of the first row, or nullopt when there is none.
  virtual std::optional<int64_t> select_integer(const std::string& sql, const std::vector<Value>& params) = 0;
  // SQLite's transaction goes on after a refused statement, so it can be
  // asked which parent row is missing; PostgreSQL's is aborted.
  virtual bool usable_after_failure() const = 0;

  // The audit log's last row (seq 0 and an empty hash when there is none),
  // with the end of the log locked until the transaction ends, so that no
  // other writer, in this process or another, appends in between.
  struct AuditTip {
    int64_t seq = 0;
    std::string hash;
  };
  virtual AuditTip lock_audit_tip() = 0;
};

// The order a group's writes are applied in, by both stores and every path:
// by entity, parents first (clients, devices, signals, positions, commands,
// audit, meta), keeping their order within a table. A group's writes commit
// together, so only its final state matters: this order lets store-postgres
// write each table once (pg_batch.hpp), and the same order everywhere makes
// the stores accept and refuse the same groups.
std::vector<const CheckedWrite*> in_apply_order(const std::vector<CheckedWrite>& group);

// Throws sdk::Error at the first refused write (in apply order); the caller
// rolls back.
void apply_writes(WriteTarget& target, Dialect dialect, const std::vector<CheckedWrite>& group);

}  // namespace vigil::store
