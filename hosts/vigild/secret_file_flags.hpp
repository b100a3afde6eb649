// Secrets handed to vigild as files: --admin-token-file and
// --master-key-file on the command line (what vigild.service passes from
// systemd's $CREDENTIALS_DIRECTORY) and the config's
// secrets.master_key_file. A file named on the command line wins over the
// config's; the admin token file itself is read by the runtime.
//
// The master key file becomes the cipher's `key_file` option, so the
// cipher plugin reads and checks it exactly as it checks any key file.
//
// Errors: ConfigError naming the flag or key when there is no cipher to
// take the key, or when the cipher's options already name a key.
#pragma once

#include <filesystem>
#include <optional>

#include "hosts/common/config.hpp"

namespace vigil::host {

struct SecretFiles {
  std::optional<std::filesystem::path> admin_token;  // --admin-token-file
  std::optional<std::filesystem::path> master_key;   // --master-key-file
};

// Afterwards config.secrets.master_key_file is set exactly when a master
// key file is in use.
void use_secret_files(Config& config, const SecretFiles& files);

}  // namespace vigil::host
