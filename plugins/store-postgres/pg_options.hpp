// The options of store-postgres, read from the config's JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace vigil::store::postgres {

struct Options {
  std::string dsn;                    // libpq connection string; never logged (it may hold a password)
  int pool_size = 4;                  // connections kept open; at most this many statements at once
  std::optional<int64_t> migrate_to;  // stop migrations at this version (tests, staged upgrades)
  bool create = true;                 // false: a database without Vigil's schema is refused, not migrated
};

// Throws std::invalid_argument naming the option that is wrong. Without
// `dsn`, the DSN is read from the environment variable that `dsn_env` names
// (VIGIL_PG_DSN by default), so the secret need not sit in the config file.
Options parse_options(const std::string& json);

}  // namespace vigil::store::postgres
