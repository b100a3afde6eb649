// store-sqlite: the embedded default store.
//
// One writer connection, serialised by a mutex, commits each group in one
// BEGIN IMMEDIATE transaction (BEGIN IMMEDIATE takes the write lock up front,
// so a second process waits on busy_timeout instead of failing mid-group).
// Queries run on pooled read connections beside it; WAL gives each a
// consistent snapshot. synchronous=FULL by default: a committed group
// survives a power cut.
#include <atomic>
#include <mutex>
#include <stdexcept>
#include <string>

#include "apply_writes.hpp"
#include "query_plan.hpp"
#include "sqlite_migration.hpp"
#include "sqlite_options.hpp"
#include "sqlite_readers.hpp"
#include "vigil/sdk.hpp"

namespace vigil::store::sqlite {
namespace {

// apply_writes' view of the writer's open transaction.
class WriterTarget final : public WriteTarget {
 public:
  explicit WriterTarget(Connection& c) : c_(c) {}
  int64_t execute(const std::string& sql, const std::vector<Value>& params) override {
    Execution e(c_.prepare(sql), params);
    while (e.next()) {
    }
    return sqlite3_changes64(c_.handle());
  }
  std::optional<int64_t> select_integer(const std::string& sql, const std::vector<Value>& params) override {
    Execution e(c_.prepare(sql), params);
    if (!e.next()) return std::nullopt;
    return e.row().integer(0);
  }
  bool usable_after_failure() const override { return true; }
  // BEGIN IMMEDIATE already holds the database's one write lock.
  AuditTip lock_audit_tip() override {
    Execution e(c_.prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"), {});
    if (!e.next()) return {};
    return {e.row().integer(0), std::string(e.row().text(1))};
  }

 private:
  Connection& c_;
};

// One SQLite file is one host's: several hosts cannot share it, so the
// store takes none of their guards and claims, and leaves heartbeat and
// wait_changes NULL (the host then refuses a cluster config).
void refuse_cluster_writes(const vigil_store_write* writes, size_t count) {
  for (size_t i = 0; writes && i < count; ++i)
    if (is_cluster_entity(writes[i].entity))
      throw std::invalid_argument("write " + std::to_string(i) + ": store-sqlite serves one host: it takes no " +
                                  cluster_entity_name(writes[i].entity) +
                                  " write, which only several hosts sharing a database need; use store-postgres");
}

// Rolls back unless committed, whatever leaves the scope.
class WriteTransaction {
 public:
  explicit WriteTransaction(Connection& c) : c_(c) { c_.exec("BEGIN IMMEDIATE", "starting a write"); }
  ~WriteTransaction() {
    if (!committed_) c_.rollback_quietly();
  }
  void commit() {
    c_.exec("COMMIT", "committing");
    committed_ = true;
  }

 private:
  Connection& c_;
  bool committed_ = false;
};

class SqliteStore final : public sdk::Store {
 public:
  explicit SqliteStore(const sdk::CreateArgs& args)
      : options_(parse_options(args.options_json)),
        file_(database_file(options_)),
        host_(args.host),
        writer_(file_, Connection::Role::writer, options_.synchronous_full, options_.create),
        readers_(file_) {}

  int64_t migrate() override {
    std::lock_guard lock(write_mutex_);
    SqliteMigrationSession session(writer_, host_);
    auto all = embedded_migrations();
    int64_t version = run_migrations(session, all, options_.migrate_to.value_or(latest_version(all)), "store-sqlite",
                                     options_.create);
    ready_ = version == latest_version(all);
    return version;
  }

  void apply(const vigil_store_write* writes, size_t count) override {
    refuse_cluster_writes(writes, count);
    std::vector<CheckedWrite> group = check_group(writes, count);
    require_ready();
    if (group.empty()) return;
    std::lock_guard lock(write_mutex_);
    WriteTransaction transaction(writer_);
    WriterTarget target(writer_);
    apply_writes(target, Dialect::sqlite, group);
    transaction.commit();
  }

  void query(const vigil_store_query& q, const vigil_store_visitor& visitor) override {
    QueryPlan plan = plan_query(q, Dialect::sqlite);
    check_visitor(visitor);
    require_ready();
    auto reader = readers_.acquire();
    Execution e(reader->prepare(plan.sql), plan.params);
    while (e.next()) visit_row(*plan.table, e.row(), visitor);
  }

 private:
  void require_ready() const {
    if (!ready_)
      throw sdk::Error(VIGIL_UNAVAILABLE, "the schema is not at this plugin's version " +
                                              std::to_string(latest_version(embedded_migrations())) +
                                              ": run migrate (without migrate_to) first");
  }

  Options options_;
  std::string file_;
  sdk::Host host_;
  std::mutex write_mutex_;
  Connection writer_;
  ReaderPool readers_;
  std::atomic<bool> ready_{false};
};

}  // namespace
}  // namespace vigil::store::sqlite

VIGIL_PLUGIN("store-sqlite", "1.0.0", "embedded store: SQLite in WAL mode, one writer",
             vigil::sdk::store<vigil::store::sqlite::SqliteStore>())
