// store-postgres: the production store, PostgreSQL through libpqxx.
//
// Each group is one READ COMMITTED transaction on a pooled connection, every
// statement prepared once per connection, one statement per table and
// operation (pg_batch.hpp); a group the database refuses is replayed
// statement by statement, so its error names the write at fault. The
// invariants are the schema's (foreign keys, the partial unique index
// close_commands_one_live, checks) and the shared SQL's (UPDATE ... WHERE
// version = expected - 1), so they hold across hosts sharing the database.
// Audit appends take the audit_log_counter row's lock, which serialises them
// until commit: one chain, whoever appends. A query reads its whole result,
// then gives the connection back before visiting, so a visitor may query or
// apply again without waiting on itself.
//
// Several hosts on one database (ABI 1.3): a group's FENCE and NONCE writes
// are checked first in its transaction (pg_group_guards.hpp), heartbeats
// keep the shards' leases (pg_leases.hpp), and wait_changes hears other
// hosts' audit appends (pg_changes.hpp).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>

#include "apply_writes.hpp"
#include "pg_batch.hpp"
#include "pg_changes.hpp"
#include "pg_errors.hpp"
#include "pg_group_guards.hpp"
#include "pg_leases.hpp"
#include "pg_migration.hpp"
#include "pg_options.hpp"
#include "pg_pool.hpp"
#include "query_plan.hpp"
#include "vigil/sdk.hpp"

namespace vigil::store::postgres {
namespace {

constexpr int64_t kLongestWaitMs = 3'600'000;

// apply_writes' view of an open transaction.
class TransactionTarget final : public WriteTarget {
 public:
  TransactionTarget(Connection& c, pqxx::transaction_base& txn) : c_(c), txn_(txn) {}
  int64_t execute(const std::string& sql, const std::vector<Value>& params) override {
    return static_cast<int64_t>(run(sql, params).affected_rows());
  }
  std::optional<int64_t> select_integer(const std::string& sql, const std::vector<Value>& params) override {
    pqxx::result r = run(sql, params);
    if (r.empty()) return std::nullopt;
    return ResultRow(r[0]).integer(0);
  }
  // A refused statement aborts the whole transaction.
  bool usable_after_failure() const override { return false; }
  // The audit_log_counter row is the append lock every append takes (one
  // around the plugin too, through the trigger), held until commit. The
  // second statement's snapshot is taken after the lock is granted, so it
  // sees what the previous holder committed: READ COMMITTED takes one per
  // statement, also for the statements of one simple query, which saves a
  // round trip. A group that appends also notifies vigil_changes, delivered
  // at its commit, so other hosts' wait_changes wake (pg_changes.hpp); in
  // the same round trip, as every appending group comes here once.
  AuditTip lock_audit_tip() override {
    pqxx::result r = simple(
        "SELECT pg_notify('vigil_changes', ''); SELECT 1 FROM audit_log_counter FOR UPDATE; "
        "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    if (r.empty()) return {};
    return {ResultRow(r[0]).integer(0), std::string(ResultRow(r[0]).text(1))};
  }

 private:
  pqxx::result simple(const std::string& sql) {
    try {
      return txn_.exec(sql);
    } catch (...) {
      rethrow_translated(c_, "executing");
    }
  }
  pqxx::result run(const std::string& sql, const std::vector<Value>& params) {
    try {
      return c_.exec(txn_, sql, params);
    } catch (...) {
      rethrow_translated(c_, "executing");
    }
  }
  Connection& c_;
  pqxx::transaction_base& txn_;
};

class PgStore final : public sdk::ClusterStore {
 public:
  explicit PgStore(const sdk::CreateArgs& args)
      : options_(parse_options(args.options_json)),
        host_(args.host),
        pool_(options_.dsn, options_.pool_size),
        changes_(options_.dsn) {}

  int64_t migrate() override {
    auto lease = pool_.acquire();
    PgMigrationSession session(*lease, host_);
    auto all = embedded_migrations();
    int64_t version = run_migrations(session, all, options_.migrate_to.value_or(latest_version(all)), "store-postgres",
                                     options_.create);
    ready_ = version == latest_version(all);
    return version;
  }

  void apply(const vigil_store_write* writes, size_t count) override {
    ClusterWrites cluster;
    std::vector<CheckedWrite> group = check_group(writes, count, &cluster);
    require_ready();
    if (group.empty() && cluster.empty()) return;
    auto lease = pool_.acquire();
    try {
      if (group.size() > 1 && apply_as_batch(*lease, cluster, group)) return;
      pqxx::work txn(lease->raw(), "apply");
      check_group_guards(*lease, txn, cluster, !group.empty());
      TransactionTarget target(*lease, txn);
      apply_writes(target, Dialect::postgres, group);
      txn.commit();
    } catch (...) {
      rethrow_translated(*lease, "applying a group");
    }
  }

  void query(const vigil_store_query& q, const vigil_store_visitor& visitor) override {
    QueryPlan plan = plan_query(q, Dialect::postgres);
    check_visitor(visitor);
    require_ready();
    pqxx::result rows = read(plan);
    for (const pqxx::row& row : rows) visit_row(*plan.table, ResultRow(row), visitor);
  }

  // The round is read in its transaction, then visited after commit with
  // the connection given back, as queries are.
  void heartbeat(const vigil_store_heartbeat& request, const vigil_store_visitor& visitor) override {
    check_heartbeat(request);
    check_visitor(visitor);
    require_ready();
    visit_round(keep_leases(request), visitor);
  }

  int64_t wait_changes(int64_t after_seq, int64_t timeout_ms) override {
    if (timeout_ms < 0)
      throw std::invalid_argument("wait_changes: timeout_ms " + std::to_string(timeout_ms) + " is negative");
    require_ready();
    // A longer wait returns after an hour, as a timeout (store.h lets it):
    // callers loop, and no deadline can overflow.
    return changes_.wait(after_seq, std::chrono::milliseconds(std::min<int64_t>(timeout_ms, kLongestWaitMs)));
  }

 private:
  pqxx::result read(const QueryPlan& plan) {
    auto lease = pool_.acquire();
    try {
      pqxx::read_transaction txn(lease->raw(), "query");
      pqxx::result rows = lease->exec(txn, plan.sql, plan.params);
      txn.commit();
      return rows;
    } catch (...) {
      rethrow_translated(*lease, std::string(plan.table->name) + " query");
    }
  }

  LeaseRound keep_leases(const vigil_store_heartbeat& request) {
    auto lease = pool_.acquire();
    try {
      pqxx::work txn(lease->raw(), "heartbeat");
      LeaseRound round = run_heartbeat(*lease, txn, request);
      txn.commit();
      return round;
    } catch (...) {
      rethrow_translated(*lease, "heartbeat");
    }
  }

  // The fast path (pg_batch.hpp). False: nothing was written, and the group
  // is replayed statement by statement for the precise error. A refused
  // guard throws: a replay would only be refused again.
  static bool apply_as_batch(Connection& c, const ClusterWrites& cluster, const std::vector<CheckedWrite>& group) {
    pqxx::work txn(c.raw(), "apply");
    check_group_guards(c, txn, cluster, true);
    TransactionTarget target(c, txn);
    if (!apply_batched(c, txn, target, group)) return false;
    txn.commit();
    return true;
  }

  void require_ready() const {
    if (!ready_)
      throw sdk::Error(VIGIL_UNAVAILABLE, "the schema is not at this plugin's version " +
                                              std::to_string(latest_version(embedded_migrations())) +
                                              ": run migrate (without migrate_to) first");
  }

  Options options_;
  sdk::Host host_;
  Pool pool_;
  ChangeWaiter changes_;
  std::atomic<bool> ready_{false};
};

}  // namespace
}  // namespace vigil::store::postgres

VIGIL_PLUGIN("store-postgres", "1.1.0",
             "production store: PostgreSQL through libpqxx, pooled connections; several hosts on one database",
             vigil::sdk::cluster_store<vigil::store::postgres::PgStore>())
