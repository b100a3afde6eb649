// The Fernet key cipher-fernet uses for one context (a client id) and field.
//
// Empty context: the master key as it is, a standard Fernet key, so tokens
// interoperate with every other Fernet implementation. Otherwise HKDF-SHA256
// (RFC 5869) of the master key, without salt, 32 bytes long:
//
//   info = "vigil-fernet-v1" ‖ 0x00 ‖ be32(len context) ‖ context ‖ be32(len field) ‖ field
//   PRK  = HMAC-SHA256(32 zero bytes, master)          (extract: once per master key)
//   key  = HMAC-SHA256(PRK, info ‖ 0x01)               (expand: once per call)
//
// A Fernet token has no associated data, so the client and the field are
// bound through the key instead: a token copied to another client or field
// is checked against another key and fails. Any HKDF implementation
// reproduces the key (Python: cryptography's HKDF(SHA256(), 32, None, info)).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vigil::fernet {

inline constexpr size_t kPrkBytes = 32;

// HKDF-Extract: writes the 32-byte PRK of a 32-byte master key to `prk`.
void extract(const unsigned char* master, unsigned char* prk);
// HKDF-Expand: writes the key for (context, field) to out[0..31].
void expand(const unsigned char* prk, std::string_view context, std::string_view field, unsigned char* out);

// The whole rule above in one call (the master as it is for an empty context).
void client_key(const unsigned char* master, std::string_view context, std::string_view field, unsigned char* out);

// The HKDF info string for (context, field) (exposed for tests).
std::string derivation_info(std::string_view context, std::string_view field);

}  // namespace vigil::fernet
