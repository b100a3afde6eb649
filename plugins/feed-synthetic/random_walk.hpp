// A seeded random walk of one instrument's quote, in integer points.
// Deterministic for a seed, so demos and load tests can be replayed.
#pragma once

#include <cstdint>
#include <random>

namespace vigil::synthetic {

struct WalkParams {
  int64_t start = 0;           // starting mid price, in points
  int64_t volatility = 5;      // standard deviation of one step, in points
  int64_t spread = 2;          // ask - bid, in points
  double gap_probability = 0;  // chance that a step is a gap
  int64_t gap_size = 0;        // size of a gap, in points (either direction)
};

struct Quote {
  int64_t bid;
  int64_t ask;
};

class RandomWalk {
 public:
  RandomWalk(const WalkParams& params, uint64_t seed);
  Quote next();

 private:
  WalkParams params_;
  std::mt19937_64 random_;
  std::normal_distribution<double> step_;
  std::bernoulli_distribution gap_;
  int64_t mid_;
};

}  // namespace vigil::synthetic
