// Vigil C++ SDK — exact decimal prices as fixed-point integers.
//
// Prices are parsed once, at the edge, into int64 counts of 10^-digits, so
// every comparison after that is exact: "1.10000" and "1.1" are the same
// price. Shared by the host and plugins so both read prices the same way.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::sdk {

// The largest number of decimals a fixed-point value may carry here.
inline constexpr int kMaxDigits = 12;

// Why a decimal text was refused; empty optional means success.
enum class DecimalError { empty, not_a_number, too_many_decimals, out_of_range };

inline const char* describe(DecimalError e) noexcept {
  switch (e) {
    case DecimalError::empty:
      return "is empty";
    case DecimalError::not_a_number:
      return "is not a decimal number";
    case DecimalError::too_many_decimals:
      return "has more decimals than the instrument's digits";
    case DecimalError::out_of_range:
      return "is out of range";
  }
  return "is invalid";
}

struct ParsedDecimal {
  int64_t value = 0;
  std::optional<DecimalError> error;
  bool ok() const noexcept { return !error; }
};

// Parses "[-]digits[.digits]" into value * 10^digits. Trailing zeros past
// `digits` are accepted ("1.100000" at 5 digits is exactly 1.1); a non-zero
// decimal past `digits` is refused, never rounded.
inline ParsedDecimal parse_decimal(std::string_view text, int digits) noexcept {
  ParsedDecimal out;
  if (text.empty()) return out.error = DecimalError::empty, out;
  if (digits < 0 || digits > kMaxDigits) return out.error = DecimalError::out_of_range, out;
  size_t i = 0;
  bool negative = false;
  if (text[0] == '-' || text[0] == '+') negative = text[0] == '-', i = 1;
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max() / 10;
  int64_t value = 0;
  int decimals = 0;
  bool seen_digit = false, seen_point = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.' && !seen_point) {
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') return out.error = DecimalError::not_a_number, out;
    seen_digit = true;
    if (seen_point && decimals == digits) {
      if (c != '0') return out.error = DecimalError::too_many_decimals, out;
      continue;
    }
    if (value > kMax) return out.error = DecimalError::out_of_range, out;
    value = value * 10 + (c - '0');
    if (seen_point) ++decimals;
  }
  if (!seen_digit) return out.error = DecimalError::not_a_number, out;
  for (; decimals < digits; ++decimals) {
    if (value > kMax) return out.error = DecimalError::out_of_range, out;
    value *= 10;
  }
  out.value = negative ? -value : value;
  return out;
}

// Formats value * 10^-digits with exactly `digits` decimals: "1.10000".
inline std::string format_decimal(int64_t value, int digits) {
  bool negative = value < 0;
  uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  std::string text = std::to_string(magnitude);
  if (digits > 0) {
    if (text.size() <= static_cast<size_t>(digits)) text.insert(0, static_cast<size_t>(digits) + 1 - text.size(), '0');
    text.insert(text.size() - static_cast<size_t>(digits), 1, '.');
  }
  return negative ? "-" + text : text;
}

}  // namespace vigil::sdk
