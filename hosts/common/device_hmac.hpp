// The HMAC behind device verification (core::DeviceVerifier), given to the
// application by the composition root: core links no crypto library.
#pragma once

#include <string>
#include <string_view>

namespace vigil::host {

// Lowercase hex of HMAC-SHA256(key, message), libsodium's. `key` is used as
// its bytes, of any length (a device secret is 64 hex characters taken as
// text, docs/http-api.md). Thread-safe; never throws but bad_alloc.
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

}  // namespace vigil::host
