#include "trailing_params.hpp"

#include <algorithm>

#include "rule_params.hpp"

namespace vigil::trailing {

TrailingParams read_params(const std::string& defaults_json, const std::string& position_json, int digits) {
  nlohmann::json merged = rule_params::merge(defaults_json, position_json, {"distance", "activation", "step"});
  TrailingParams out;
  if (merged.contains("distance")) {
    out.distance = rule_params::distance(merged["distance"], "distance", digits);
    if (*out.distance == 0) throw std::invalid_argument("distance: must be positive");
  }
  if (merged.contains("activation")) out.activation = rule_params::distance(merged["activation"], "activation", digits);
  if (merged.contains("step")) out.step = std::max<int64_t>(1, rule_params::distance(merged["step"], "step", digits));
  return out;
}

}  // namespace vigil::trailing
