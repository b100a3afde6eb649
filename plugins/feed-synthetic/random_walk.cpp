#include "random_walk.hpp"

#include <algorithm>
#include <cmath>

namespace vigil::synthetic {

RandomWalk::RandomWalk(const WalkParams& params, uint64_t seed)
    : params_(params),
      random_(seed),
      step_(0.0, static_cast<double>(params.volatility)),
      gap_(params.gap_probability),
      mid_(params.start) {}

Quote RandomWalk::next() {
  int64_t move = std::llround(step_(random_));
  if (params_.gap_size > 0 && gap_(random_)) move += (random_() & 1) ? params_.gap_size : -params_.gap_size;
  // A price never reaches zero: the walk reflects off a floor of twice the spread.
  mid_ = std::max(mid_ + move, 2 * params_.spread + 1);
  int64_t half = params_.spread / 2;
  return {mid_ - half, mid_ - half + params_.spread};
}

}  // namespace vigil::synthetic
