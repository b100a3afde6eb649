// The cipher-sodium token, printable ASCII:
//
//   xc1.<key version>.<base64url, no padding: nonce(24) ‖ ciphertext ‖ tag(16)>
//
// The key version is plain decimal (1 to 4294967295, no leading zeros), so it
// can be read without decrypting, by token_key_version and by eye; it is
// authenticated all the same, as part of the associated data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace vigil::sodium_cipher {

inline constexpr std::string_view kTokenTag = "xc1";
inline constexpr size_t kNonceBytes = 24;  // crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
inline constexpr size_t kTagBytes = 16;    // crypto_aead_xchacha20poly1305_ietf_ABYTES

struct Token {
  uint32_t key_version = 0;
  std::string sealed;  // nonce ‖ ciphertext ‖ tag
};

std::string format_token(uint32_t key_version, std::string_view sealed);

// Throws vigil::sdk::Error(VIGIL_INVALID_ARGUMENT) saying what is wrong with
// the shape; whether the token is authentic is for the AEAD to decide.
Token parse_token(std::string_view text);

}  // namespace vigil::sodium_cipher
