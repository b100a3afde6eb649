// Reading one master key from where its KeySource points. A key file must be
// a regular file that neither group nor others may access (like ssh's
// private keys): a key readable by every local user is no secret.
#pragma once

#include <string_view>

#include "key_options.hpp"
#include "secret_bytes.hpp"

namespace vigil::keyring {

// The 32 key bytes, in guarded memory. A key that cannot be used is a
// configuration error: std::invalid_argument "<plugin>: key version N:
// <source>: <why>", never with any key material in it.
SecretBytes load_key(const KeySource& source, std::string_view plugin);

}  // namespace vigil::keyring
