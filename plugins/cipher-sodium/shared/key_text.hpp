// The text form of a 32-byte master key: 64 hex characters (what
// VIGIL_MASTER_KEY holds) or URL-safe base64 of 32 bytes (a standard Fernet
// key, with or without its `=`). Surrounding whitespace, such as the newline
// at the end of a key file, is ignored.
#pragma once

#include <cstddef>
#include <string_view>

namespace vigil::keyring {

inline constexpr size_t kMasterKeyBytes = 32;

// Decodes `text` into out[0..31]. Throws std::invalid_argument naming
// `origin` and the length found, never any of the text itself.
void decode_key_text(std::string_view text, unsigned char* out, std::string_view origin);

}  // namespace vigil::keyring
