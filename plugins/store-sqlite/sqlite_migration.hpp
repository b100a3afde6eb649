// The migration runner's view of SQLite: BEGIN IMMEDIATE is the migration
// lock (one writer, across processes too); schema_migrations records each
// applied file. Foreign keys are off during a migration (so it may rebuild
// a table) and checked in full before it commits.
#pragma once

#include "migration.hpp"
#include "sqlite_connection.hpp"
#include "vigil/cpp/host.hpp"

namespace vigil::store::sqlite {

class SqliteMigrationSession final : public MigrationSession {
 public:
  SqliteMigrationSession(Connection& writer, const sdk::Host& host) : writer_(writer), host_(host) {}
  void begin() override;
  int64_t current_version() override;
  void run(const Migration& migration) override;
  void commit() override;
  void rollback() noexcept override;

 private:
  void check_foreign_keys();
  Connection& writer_;
  sdk::Host host_;
  bool ran_ = false;
};

}  // namespace vigil::store::sqlite
