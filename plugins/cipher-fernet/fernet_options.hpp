// The options of cipher-fernet: where its master keys come from (shared
// with cipher-sodium, see keyring/key_options.hpp) and the TTL.
#pragma once

#include <cstdint>
#include <string>

#include "key_options.hpp"

namespace vigil::fernet {

struct Options {
  keyring::KeyOptions keys;
  // Tokens older than this are refused; 0: no TTL (payloads at rest are
  // read long after they were written, so none by default).
  uint64_t ttl_seconds = 0;
};

// Throws std::invalid_argument "cipher-fernet: option <key>: <why>".
Options parse_options(const std::string& options_json);

}  // namespace vigil::fernet
