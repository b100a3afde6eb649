// The Fernet specification (github.com/fernet/spec), as pure functions: the
// caller passes the clock and the IV, so the spec's vectors can be checked
// exactly and the plugin passes the host's clock.
//
//   token  = base64url(0x80 ‖ timestamp(8, big-endian) ‖ IV(16) ‖ ciphertext ‖ HMAC(32))
//   key    = signing key(16) ‖ encryption key(16)   (a Fernet "secret", decoded)
//   cipher = AES-128-CBC with PKCS#7 padding, encryption key
//   HMAC   = HMAC-SHA256(signing key, everything before it)
//
// Verification order: shape, then HMAC, then time, then decryption; so only
// an authentic token is ever reported as expired or badly padded, and the
// padding is never examined for a forged one (no padding oracle).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace vigil::fernet {

inline constexpr size_t kKeyBytes = 32;
inline constexpr size_t kIvBytes = 16;
// A token stamped further ahead of the verifier's clock than this is refused.
inline constexpr int64_t kMaxClockSkewSeconds = 60;

using Key = std::span<const unsigned char, kKeyBytes>;
using Iv = std::span<const unsigned char, kIvBytes>;

class FernetError : public std::runtime_error {
 public:
  enum class Kind {
    malformed,    // not shaped like a Fernet token
    unauthentic,  // the HMAC does not match: forged, altered, or another key
    bad_padding,  // authentic, but the plaintext padding is wrong
    expired,      // older than the TTL
    future        // stamped more than kMaxClockSkewSeconds ahead
  };
  FernetError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const noexcept { return kind_; }

 private:
  Kind kind_;
};

// A decoded token whose shape is right; nothing about it is verified yet.
struct Token {
  std::string bytes;  // the whole decoded token
  uint64_t timestamp = 0;
};

// `now`: unix seconds at which the token is made.
std::string encrypt(Key key, std::string_view plaintext, uint64_t now, Iv iv);

// Throws FernetError(malformed).
Token parse(std::string_view token);
// True when the token's HMAC is right for `key`.
bool authentic(const Token& token, Key key);
// For an authentic token: checks its time against `now` (unix seconds) and
// `ttl_seconds` (0: no TTL), then decrypts. Throws FernetError.
std::string open(const Token& token, Key key, int64_t now, uint64_t ttl_seconds);

// parse, authentic and open in one, for a single key.
std::string decrypt(Key key, std::string_view token, int64_t now, uint64_t ttl_seconds);

}  // namespace vigil::fernet
