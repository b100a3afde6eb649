// The edge where a feed's tick (decimal text) becomes engine input
// (fixed-point integers of the instrument's digits). Every refusal names the
// field, so a feed can prefix where the tick came from.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>

#include "core/domain/instruments.hpp"
#include "vigil/app.h"

namespace vigil::core {

class TickRejected : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

struct ParsedTick {
  InstrumentId instrument = 0;
  std::optional<int64_t> bid;  // absent: unchanged
  std::optional<int64_t> ask;
  int64_t time_unix_ms = 0;
  int64_t sequence = -1;
  int64_t accepted_ns = 0;  // when the host accepted it (monotonic_ns): where the breach latency starts
};

// Throws TickRejected: "field 'bid': '1.123456' has more than the 5 digits of EURUSD".
ParsedTick parse_tick(const Instruments& instruments, const vigil_tick& tick);

// Parses one price of `instrument`; `field` names it in errors.
int64_t parse_price(const Instruments& instruments, InstrumentId instrument, std::string_view text,
                    std::string_view field);

}  // namespace vigil::core
