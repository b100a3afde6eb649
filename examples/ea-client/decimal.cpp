#include "examples/ea-client/decimal.hpp"

#include <cstdlib>
#include <stdexcept>

namespace vigil::ea {

Decimal Decimal::parse(std::string_view text) {
  Decimal out;
  bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  bool seen_point = false, seen_digit = false;
  for (char c : text) {
    if (c == '.' && !seen_point) {
      seen_point = true;
    } else if (c >= '0' && c <= '9' && out.units < (INT64_MAX - 9) / 10) {
      out.units = out.units * 10 + (c - '0');
      out.digits += seen_point ? 1 : 0;
      seen_digit = true;
    } else {
      throw std::invalid_argument("not a decimal: \"" + std::string(text) + "\"");
    }
  }
  if (!seen_digit) throw std::invalid_argument("not a decimal: \"" + std::string(text) + "\"");
  if (negative) out.units = -out.units;
  return out;
}

std::string Decimal::str() const {
  std::string digits_text = std::to_string(std::llabs(units));
  if (static_cast<int>(digits_text.size()) <= digits)
    digits_text.insert(0, static_cast<size_t>(digits) + 1 - digits_text.size(), '0');
  if (digits > 0) digits_text.insert(digits_text.size() - static_cast<size_t>(digits), 1, '.');
  return (units < 0 ? "-" : "") + digits_text;
}

}  // namespace vigil::ea
