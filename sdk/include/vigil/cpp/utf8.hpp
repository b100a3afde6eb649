// Vigil C++ SDK — checking that text is well-formed UTF-8.
//
// Text from outside (HTTP headers, JSON strings, files) is checked once at
// the edge, so that nothing downstream (a JSON writer, a database column)
// meets bytes it refuses. Shared by the host and plugins so both accept
// exactly the same text: RFC 3629 UTF-8, no overlong encodings, no UTF-16
// surrogates, nothing above U+10FFFF.
#pragma once

#include <cstddef>
#include <string_view>

namespace vigil::sdk {

// The offset of the first byte that is not part of well-formed UTF-8;
// text.size() when all of it is well-formed.
inline size_t utf8_error_offset(std::string_view text) noexcept {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const size_t size = text.size();
  size_t i = 0;
  while (i < size) {
    unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    size_t length = 0;
    unsigned char low = 0x80, high = 0xbf;  // the allowed range of the second byte
    if (lead >= 0xc2 && lead <= 0xdf) {
      length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead == 0xe0) low = 0xa0;   // overlong
      if (lead == 0xed) high = 0x9f;  // surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead == 0xf0) low = 0x90;   // overlong
      if (lead == 0xf4) high = 0x8f;  // above U+10FFFF
    } else {
      return i;
    }
    if (size - i < length || bytes[i + 1] < low || bytes[i + 1] > high) return i;
    for (size_t k = 2; k < length; ++k)
      if (bytes[i + k] < 0x80 || bytes[i + k] > 0xbf) return i;
    i += length;
  }
  return size;
}

inline bool is_utf8(std::string_view text) noexcept {
  return utf8_error_offset(text) == text.size();
}

}  // namespace vigil::sdk
