// Reading a request's field text (operations.hpp's `Text`) where only the
// workflow knows how: prices with an instrument's digits. Every refusal is
// a 400 naming the field.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/workflow/api_error.hpp"
#include "core/workflow/operations.hpp"
#include "vigil/cpp/decimal.hpp"

namespace vigil::core {

// The text, neither absent nor empty.
inline std::string required_text(const std::string& field, const Text& text) {
  if (!text || text->empty()) throw invalid_field(field, "required");
  return *text;
}

// A decimal with at most `digits` decimals, scaled to an integer; nullopt
// when absent.
inline std::optional<int64_t> decimal_field(const std::string& field, const Text& text, int digits) {
  if (!text) return std::nullopt;
  sdk::ParsedDecimal parsed = sdk::parse_decimal(*text, digits);
  if (!parsed.ok())
    throw invalid_field(field, "'" + *text + "' " + sdk::describe(*parsed.error) + " (at most " +
                                   std::to_string(digits) + " decimals)");
  return parsed.value;
}

inline int64_t required_decimal_field(const std::string& field, const Text& text, int digits) {
  std::optional<int64_t> value = decimal_field(field, text, digits);
  if (!value) throw invalid_field(field, "required");
  return *value;
}

}  // namespace vigil::core
