// URL-safe base64 (RFC 4648 section 5) for token text, strict both ways:
// only the URL-safe alphabet, padding exactly as asked, and zero trailing
// bits, so each byte string has exactly one text and no altered character
// can decode to the same bytes.
//
// Not libsodium's codec: that one runs in constant time, which costs about
// 5 ns a character (25 us for a 4 KiB token, several times the AEAD). Token
// text is ciphertext, public by design, so a table lookup is fine here; key
// text, which is secret, still goes through libsodium (key_text.cpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vigil::base64url {

enum class Padding {
  none,     // cipher-sodium tokens
  required  // Fernet tokens, as the spec writes them
};

std::string encode(std::string_view bytes, Padding padding);
// nullopt for any text that is not the canonical encoding of some bytes.
std::optional<std::string> decode(std::string_view text, Padding padding);

}  // namespace vigil::base64url
