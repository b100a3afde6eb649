#include "sqlite_migration.hpp"

#include "constraint_failure.hpp"
#include "vigil/cpp/error.hpp"

namespace vigil::store::sqlite {

// Foreign keys are enforced per statement unless off, and can only be turned
// off outside a transaction: off, a migration may rebuild a parent table
// (SQLite cannot alter a constraint), and commit() checks every reference
// before the rebuild becomes visible.
void SqliteMigrationSession::begin() {
  ran_ = false;
  writer_.exec("PRAGMA foreign_keys = OFF", "suspending foreign keys for a migration");
  writer_.exec("BEGIN IMMEDIATE", "starting a migration");
  writer_.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT",
      "creating schema_migrations");
}

int64_t SqliteMigrationSession::current_version() {
  Execution e(writer_.prepare("SELECT coalesce(max(version), 0) FROM schema_migrations"), {});
  e.next();
  return e.row().integer(0);
}

void SqliteMigrationSession::run(const Migration& m) {
  try {
    writer_.exec(m.sql, std::string("migration ") + m.name);
  } catch (const ConstraintFailure& f) {
    throw sdk::Error(VIGIL_INTERNAL, std::string("migration ") + m.name + ": " + f.what());
  }
  Execution e(writer_.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)"),
              {Value::of_integer(m.version), Value::of_text(m.name), Value::of_integer(host_.now_unix_ms())});
  e.next();
  ran_ = true;
}

// Only after a migration ran: the check reads every referencing row.
void SqliteMigrationSession::check_foreign_keys() {
  Execution e(writer_.prepare("PRAGMA foreign_key_check"), {});
  if (e.next())
    throw sdk::Error(VIGIL_INTERNAL, "a migration left " + std::string(e.row().text(0)) + " row " +
                                         std::to_string(e.row().integer(1)) + " referring to a missing " +
                                         std::string(e.row().text(2)) + " row");
}

void SqliteMigrationSession::commit() {
  if (ran_) check_foreign_keys();
  writer_.exec("COMMIT", "committing a migration");
  writer_.exec("PRAGMA foreign_keys = ON", "enforcing foreign keys again");
}

void SqliteMigrationSession::rollback() noexcept {
  writer_.rollback_quietly();
  sqlite3_exec(writer_.handle(), "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr);
}

}  // namespace vigil::store::sqlite
