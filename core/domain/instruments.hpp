// The instruments a host knows: symbol and digits. Prices of an instrument
// are int64 counts of 10^-digits (see vigil/cpp/decimal.hpp), parsed once
// at the edge with these digits.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace vigil::core {

using InstrumentId = uint32_t;

struct Instrument {
  std::string symbol;
  int digits = 0;
};

class Instruments {
 public:
  // Adds an instrument, or changes the digits of a known one. Returns its id.
  InstrumentId add(std::string_view symbol, int digits);
  std::optional<InstrumentId> find(std::string_view symbol) const;
  const Instrument& get(InstrumentId id) const { return list_.at(id); }
  size_t size() const noexcept { return list_.size(); }

 private:
  std::vector<Instrument> list_;
  std::unordered_map<std::string, InstrumentId> by_symbol_;
};

}  // namespace vigil::core
