// The migration runner's view of PostgreSQL: a transaction-scoped advisory
// lock is the migration lock (one migrator at a time, across hosts), taken
// before schema_migrations is created, so two first starts cannot race to
// create it. PostgreSQL's DDL is transactional: a failed migration leaves
// nothing behind.
#pragma once

#include <memory>
#include <pqxx/pqxx>

#include "migration.hpp"
#include "pg_connection.hpp"
#include "vigil/cpp/host.hpp"

namespace vigil::store::postgres {

class PgMigrationSession final : public MigrationSession {
 public:
  PgMigrationSession(Connection& connection, const sdk::Host& host) : connection_(connection), host_(host) {}
  void begin() override;
  int64_t current_version() override;
  void run(const Migration& migration) override;
  void commit() override;
  void rollback() noexcept override;

 private:
  Connection& connection_;
  sdk::Host host_;
  std::unique_ptr<pqxx::work> txn_;
};

}  // namespace vigil::store::postgres
