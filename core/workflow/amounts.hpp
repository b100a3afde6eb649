// Volumes and stored prices: volumes carry up to 8 decimals
// (VIGIL_VOLUME_SCALE) and are written without trailing zeros ("0.5");
// prices are written with the instrument's digits ("1.10000").
#pragma once

#include <cstdint>
#include <string>

#include "vigil/cpp/decimal.hpp"

namespace vigil::core {

inline constexpr int kVolumeDigits = 8;

inline std::string format_volume(int64_t volume) {
  std::string text = sdk::format_decimal(volume, kVolumeDigits);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

// A decimal this program wrote itself (0 when empty).
inline int64_t stored_decimal(const std::string& text, int digits) {
  return text.empty() ? 0 : sdk::parse_decimal(text, digits).value;
}

}  // namespace vigil::core
