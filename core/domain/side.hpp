// The side of a position. Its trigger price is the side it closes on:
// the bid for a BUY, the ask for a SELL (docs/breach-semantics.md).
#pragma once

#include <cstdint>

#include "vigil/rule.h"

namespace vigil::core {

enum class Side : uint8_t { buy = VIGIL_SIDE_BUY, sell = VIGIL_SIDE_SELL };

}  // namespace vigil::core
