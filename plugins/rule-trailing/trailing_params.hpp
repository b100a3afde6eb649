// Parameters of a trailing stop, from the rule's config options (defaults)
// overlaid with one position's parameters.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace vigil::trailing {

struct TrailingParams {
  // How far the stop trails the best price, in price units (fixed point of
  // the instrument). Absent: the rule leaves the position alone.
  std::optional<int64_t> distance;
  // Trailing starts only once the price has moved this far in favour of
  // the entry (0: at once).
  int64_t activation = 0;
  // The stop moves only when the best price improves by at least this much;
  // fewer, larger moves (and callbacks) on a trending market.
  int64_t step = 1;
};

// Reads {"distance","activation","step"}: each a price ("0.00100", or a JSON
// number read as written) or {"points": N}. Throws std::invalid_argument
// naming the key (sdk::Options).
TrailingParams read_params(const std::string& defaults_json, const std::string& position_json, int digits);

}  // namespace vigil::trailing
