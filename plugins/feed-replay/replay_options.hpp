// The options of feed-replay, read from the config's JSON.
#pragma once

#include <string>

namespace vigil::replay {

enum class Format { csv, mt5 };

struct Options {
  std::string file;
  Format format = Format::csv;
  std::string instrument;  // required for mt5; for csv, a filter (empty: all)
  double speed = 0;        // 0: as fast as possible; 1: real time; 2: twice as fast
  bool skip_bad_rows = false;
};

// Throws std::invalid_argument naming the option that is wrong.
Options parse_options(const std::string& json);

}  // namespace vigil::replay
