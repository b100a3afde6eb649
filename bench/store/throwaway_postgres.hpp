// A PostgreSQL 15 for one benchmark run, the TOOLING.md recipe: a fresh
// data directory under /tmp, a Unix socket in it, run as the postgres user
// when root. Unlike the tests' server it keeps fsync on: a commit here is as
// durable as in production, which is what the benchmark measures.
#pragma once

#include <string>

namespace vigil::bench {

class ThrowawayPostgres {
 public:
  // Throws std::runtime_error with the failing step's output.
  ThrowawayPostgres();
  ~ThrowawayPostgres();  // stops the server and removes the directory
  ThrowawayPostgres(const ThrowawayPostgres&) = delete;
  ThrowawayPostgres& operator=(const ThrowawayPostgres&) = delete;

  // A new empty database: its connection string.
  std::string create_database(const std::string& name);

  // Gathers the planner's statistics of a database, as autovacuum does
  // within about a minute of a bulk load (autovacuum_naptime).
  static void analyze(const std::string& dsn);

 private:
  std::string dir_;
};

}  // namespace vigil::bench
