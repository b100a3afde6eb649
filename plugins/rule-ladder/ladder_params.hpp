// The steps of a take-profit ladder: take part of the volume at each level.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::ladder {

struct Step {
  int64_t price = 0;     // the level, fixed point
  int64_t fraction = 0;  // of the original volume, in millionths; the last step takes the rest
};

// Reads {"steps":[{"price":"1.1050","fraction":0.5},{"price":"1.1100","fraction":0.3},{"price":"1.1150"}]}.
// Steps must move away from the entry in the position's favour, fractions
// must be in (0, 1) and sum below 1; the last step has no fraction (it takes
// what is left). Throws std::invalid_argument naming the step.
std::vector<Step> read_steps(const std::string& defaults, std::string_view position, int digits, bool buy,
                             int64_t entry);

}  // namespace vigil::ladder
