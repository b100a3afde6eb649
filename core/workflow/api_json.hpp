// How the EA and admin adapters write the values both answer with.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "vigil/rule.h"

namespace vigil::core {

// "sell" or "buy", as the API spells a side.
inline const char* side_word(int32_t side) {
  return side == VIGIL_SIDE_SELL ? "sell" : "buy";
}

// A text the rows keep empty when absent, written as null then.
inline nlohmann::json text_or_null(const std::string& text) {
  return text.empty() ? nlohmann::json() : nlohmann::json(text);
}

}  // namespace vigil::core
