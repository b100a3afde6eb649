// The embedded default must run with no setup, and its cipher needs a
// master key. When VIGIL_MASTER_KEY is unset, the key lives in
// <data dir>/master.key: created once (mode 0600, 32 random bytes as hex),
// then reused on every start — losing it loses every device secret.
#pragma once

#include <filesystem>

#include "hosts/common/config.hpp"

namespace vigil::host {

// Points the config's cipher at the key file, creating it if needed; does
// nothing when VIGIL_MASTER_KEY is set or the config has no cipher.
void use_default_master_key(Config& config, const std::filesystem::path& data_dir);

}  // namespace vigil::host
