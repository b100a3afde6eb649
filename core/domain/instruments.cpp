#include "core/domain/instruments.hpp"

#include "vigil/cpp/decimal.hpp"

namespace vigil::core {

InstrumentId Instruments::add(std::string_view symbol, int digits) {
  if (symbol.empty()) throw std::invalid_argument("an instrument needs a symbol");
  if (digits < 0 || digits > sdk::kMaxDigits)
    throw std::invalid_argument("instrument " + std::string(symbol) + ": digits must be 0 to " +
                                std::to_string(sdk::kMaxDigits));
  if (auto known = find(symbol)) {
    list_[*known].digits = digits;
    return *known;
  }
  auto id = static_cast<InstrumentId>(list_.size());
  list_.push_back({std::string(symbol), digits});
  by_symbol_.emplace(std::string(symbol), id);
  return id;
}

std::optional<InstrumentId> Instruments::find(std::string_view symbol) const {
  auto it = by_symbol_.find(std::string(symbol));
  if (it == by_symbol_.end()) return std::nullopt;
  return it->second;
}

}  // namespace vigil::core
