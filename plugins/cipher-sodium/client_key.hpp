// The key cipher-sodium uses for one context (a client id).
//
// Empty context: the master key as it is. Otherwise:
//   subkey_id = first 8 bytes, little-endian, of
//               BLAKE2b-128(key = master, personal = "vigil-subkey-id\0", context)
//   key       = crypto_kdf_derive_from_key(32, subkey_id, "VIGILCLI", master)
//
// crypto_kdf numbers its subkeys with a 64-bit id, while client ids are
// strings: the keyed hash maps one onto the other. Keying it with the master
// key means nobody without the key can pick two client ids whose ids
// collide; and should two ever collide by chance (about 2^-64 per pair), the
// associated data still names the client, so their tokens stay apart.
#pragma once

#include <cstdint>
#include <string_view>

namespace vigil::sodium_cipher {

inline constexpr size_t kKeyBytes = 32;

// Writes the key for `context` to out[0..31]; `master` is 32 bytes.
void client_key(const unsigned char* master, std::string_view context, unsigned char* out);

// The crypto_kdf subkey id for a non-empty context (exposed for tests).
uint64_t subkey_id(const unsigned char* master, std::string_view context);

}  // namespace vigil::sodium_cipher
