// The one way to point vigild and every `vigil` command that works on the
// store at a data directory: `--data-dir DIR` becomes the store's
// `data_dir` option (for store-sqlite, the directory of its database file).
//
// A store that keeps no files (store-postgres: its data is in the database
// its `dsn` names) ignores the directory with a warning on the log, so the
// packaged service, which always passes --data-dir, runs unchanged when its
// config is switched to PostgreSQL.
//
// Errors: ConfigError naming --data-dir when the config has no store.
#pragma once

#include <string>

#include "hosts/common/config.hpp"

namespace vigil::host {

void use_data_dir(Config& config, const std::string& dir);

}  // namespace vigil::host
