// The options of feed-synthetic, read from the config's JSON.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "random_walk.hpp"

namespace vigil::synthetic {

struct InstrumentWalk {
  std::string symbol;
  int digits = 5;
  WalkParams walk;
};

struct Options {
  std::vector<InstrumentWalk> instruments;
  double ticks_per_second = 10;  // per instrument; 0 = as fast as possible
  uint64_t seed = 1;
  int64_t max_ticks = 0;  // per instrument; 0 = run until stopped
};

// Throws std::invalid_argument naming the key that is wrong.
Options parse_options(const std::string& json);

}  // namespace vigil::synthetic
