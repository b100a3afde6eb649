// Schema migrations: the numbered files of schemas/<dialect>/, embedded into
// each store plugin at build time (embed_migrations.cmake), and the runner
// that applies them in order, one transaction each, recording each in the
// schema_migrations table.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace vigil::store {

struct Migration {
  int64_t version;   // the file's number: 1, 2, ... without gaps
  const char* name;  // the file's name without .sql, e.g. "001_initial"
  const char* sql;   // its whole text
};

// The plugin's migrations in order; generated into each plugin.
std::span<const Migration> embedded_migrations();

inline int64_t latest_version(std::span<const Migration> all) { return all.empty() ? 0 : all.back().version; }

// A dialect's database as the runner drives it.
class MigrationSession {
 public:
  virtual ~MigrationSession() = default;
  // Opens a transaction holding the migration lock (one migrator at a time,
  // across processes too) with the schema_migrations table in place.
  virtual void begin() = 0;
  // The highest version recorded, 0 for none.
  virtual int64_t current_version() = 0;
  // Runs the migration's script and records its version.
  virtual void run(const Migration& migration) = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;
};

// Brings the database to version `target` (at most the latest) and returns
// the version it is at. A database newer than the latest migration is
// refused with VIGIL_CONFLICT, naming both versions; `who` names the plugin.
// With `create` false a database without the schema (version 0) is refused
// with VIGIL_NOT_FOUND: a command that reads a store must not make one.
int64_t run_migrations(MigrationSession& session, std::span<const Migration> all, int64_t target, std::string_view who,
                       bool create = true);

}  // namespace vigil::store
