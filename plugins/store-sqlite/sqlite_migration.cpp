#include "sqlite_migration.hpp"

#include "constraint_failure.hpp"
#include "vigil/cpp/error.hpp"

namespace vigil::store::sqlite {

void SqliteMigrationSession::begin() {
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
}

void SqliteMigrationSession::commit() { writer_.exec("COMMIT", "committing a migration"); }

void SqliteMigrationSession::rollback() noexcept { writer_.rollback_quietly(); }

}  // namespace vigil::store::sqlite
