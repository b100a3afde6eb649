#include "pg_migration.hpp"

#include "pg_errors.hpp"
#include "vigil/cpp/error.hpp"

namespace vigil::store::postgres {
namespace {

// The advisory lock's key: "Vigl" in ASCII, so that it is recognisable in
// pg_locks and unlikely to clash with another application's keys.
constexpr const char* kLockKey = "1449748332";

}  // namespace

void PgMigrationSession::begin() {
  try {
    txn_ = std::make_unique<pqxx::work>(connection_.raw(), "migration");
    txn_->exec(std::string("SELECT pg_advisory_xact_lock(") + kLockKey + ")");
    txn_->exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
  } catch (...) {
    rethrow_translated(connection_, "starting a migration");
  }
}

int64_t PgMigrationSession::current_version() {
  try {
    return txn_->exec1("SELECT coalesce(max(version), 0) FROM schema_migrations")[0].as<int64_t>();
  } catch (...) {
    rethrow_translated(connection_, "reading the schema version");
  }
}

void PgMigrationSession::run(const Migration& m) {
  std::string doing = std::string("migration ") + m.name;
  try {
    txn_->exec(m.sql);
    txn_->exec_params("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", m.version,
                      std::string(m.name), host_.now_unix_ms());
  } catch (const pqxx::integrity_constraint_violation& e) {
    throw sdk::Error(VIGIL_INTERNAL, doing + ": " + e.what());
  } catch (...) {
    rethrow_translated(connection_, doing);
  }
}

void PgMigrationSession::commit() {
  try {
    txn_->commit();
    txn_.reset();
  } catch (...) {
    rethrow_translated(connection_, "committing a migration");
  }
}

void PgMigrationSession::rollback() noexcept {
  txn_.reset();
}

}  // namespace vigil::store::postgres
