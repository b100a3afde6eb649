// Parameters of the drawdown guard, from the rule's config options
// (defaults) overlaid with one position's parameters.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace vigil::drawdown {

struct DrawdownParams {
  // The client's floating loss, in account money, at which the guard
  // closes. Absent: the rule leaves the position alone.
  std::optional<double> max_loss;
  // Account money per point of price per 1.0 lot of this position.
  double point_value = 1.0;
  // Close all of the client's positions, or only the one losing most.
  bool close_all = true;
  // How far (price units) the price moves before the position's loss is
  // counted again: the guard's resolution, and its cost (one callback per
  // this much movement per position).
  int64_t resolution = 10;
};

// Reads {"max_loss": "500"} or {"max_loss_percent": 5, "balance": "10000"},
// with "point_value", "close": "all"|"worst" and "resolution" (a price or
// {"points": N}); amounts are JSON numbers or decimal text. Throws
// std::invalid_argument naming the key (sdk::Options).
DrawdownParams read_params(const std::string& defaults_json, const std::string& position_json, int digits);

}  // namespace vigil::drawdown
