#include <string>

#include "migration.hpp"
#include "vigil/cpp/error.hpp"

namespace vigil::store {
namespace {

// One step: under the lock, re-read the version (another process may have
// migrated meanwhile), refuse a newer database, run at most one migration.
// Returns the version reached and whether there is more to do.
std::pair<int64_t, bool> step(MigrationSession& session, std::span<const Migration> all, int64_t target,
                              std::string_view who, bool create) {
  session.begin();
  int64_t current = session.current_version();
  int64_t latest = latest_version(all);
  if (current == 0 && !create)
    throw sdk::Error(VIGIL_NOT_FOUND, std::string(who) +
                                          ": the database holds no Vigil store (no schema version): this command "
                                          "reads a store and never creates one; vigil migrate does");
  if (current > latest)
    throw sdk::Error(VIGIL_CONFLICT, std::string(who) + ": the database is at schema version " +
                                         std::to_string(current) + ", newer than this plugin's " +
                                         std::to_string(latest) + ": run a Vigil at least as new as the database");
  if (current >= target) {
    session.commit();
    return {current, false};
  }
  const Migration& next = all[static_cast<size_t>(current)];
  session.run(next);
  session.commit();
  return {next.version, next.version < target};
}

}  // namespace

int64_t run_migrations(MigrationSession& session, std::span<const Migration> all, int64_t target, std::string_view who,
                       bool create) {
  for (;;) {
    try {
      auto [version, more] = step(session, all, target, who, create);
      if (!more) return version;
    } catch (...) {
      session.rollback();
      throw;
    }
  }
}

}  // namespace vigil::store
