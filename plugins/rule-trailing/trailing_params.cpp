#include "trailing_params.hpp"

#include <algorithm>

#include "vigil/cpp/options.hpp"

namespace vigil::trailing {

TrailingParams read_params(const std::string& defaults_json, const std::string& position_json, int digits) {
  auto merged = sdk::Options::merge(defaults_json, position_json, {"distance", "activation", "step"});
  TrailingParams out;
  if (merged.has("distance")) {
    out.distance = merged.required_distance("distance", digits);
    if (*out.distance == 0) merged.fail("distance", "must be positive");
  }
  out.activation = merged.distance("activation", digits, 0);
  out.step = std::max<int64_t>(1, merged.distance("step", digits, 1));
  return out;
}

}  // namespace vigil::trailing
