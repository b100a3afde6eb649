// The embedded default must lead somewhere: with no admin token the admin
// API, and the console with it, would stay closed. When neither
// VIGIL_ADMIN_TOKEN nor secrets.admin_token_file (--admin-token-file) gives
// one, the token lives in <data dir>/admin.token: created once (mode 0600,
// 32 random bytes as hex), then reused on every start, and the log says
// where. A configured token always wins and is never written anywhere. A
// --config file gets no token of its own: whoever writes a config chooses.
#pragma once

#include <filesystem>
#include <optional>

#include "hosts/common/config.hpp"

namespace vigil::host {

struct DefaultAdminToken {
  std::filesystem::path file;  // absolute
  bool created = false;        // by this start
};

// Points secrets.admin_token_file at <data_dir>/admin.token, creating it if
// needed, unless a token is configured (then nullopt). Throws ConfigError
// naming the file when it cannot be created.
std::optional<DefaultAdminToken> use_default_admin_token(Config& config, const std::filesystem::path& data_dir);

// Says in the log where the token is (a warning when this start made it).
// Called once serving, so that a start that fails says only why.
void announce(const DefaultAdminToken& token);

// Whether the admin API will open: a token file is named or
// VIGIL_ADMIN_TOKEN is set (not empty).
bool admin_token_configured(const Config& config);

}  // namespace vigil::host
