// The options of store-sqlite, read from the config's JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace vigil::store::sqlite {

struct Options {
  std::string path = "vigil.db";  // the database file; relative: in data_dir or the working directory
  std::string data_dir;           // the directory for a relative path (created if missing)
  bool synchronous_full = true;   // false: synchronous=NORMAL (a crash may lose the last commits, never corrupt)
  std::optional<int64_t> migrate_to;  // stop migrations at this version (tests, staged upgrades)
  bool create = true;                 // false: open an existing database only (commands that read a store)
};

// Throws std::invalid_argument naming the option that is wrong.
Options parse_options(const std::string& json);

// The database file the options name; creates data_dir when it is missing.
// Throws std::invalid_argument naming data_dir when that fails. With
// `create` false, throws sdk::Error VIGIL_NOT_FOUND naming the file when it
// does not exist (and creates nothing).
std::string database_file(const Options& options);

}  // namespace vigil::store::sqlite
