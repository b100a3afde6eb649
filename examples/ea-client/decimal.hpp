// Prices and volumes as the server sends them: decimal strings with a fixed
// number of digits ("1.10000"). The simulated broker moves them by whole
// points (one unit of the last digit), so integers of that unit are exact
// where doubles would print 1.0999999.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vigil::ea {

struct Decimal {
  int64_t units = 0;  // value * 10^digits
  int digits = 0;

  // "1.10000" -> {110000, 5}. Throws std::invalid_argument on anything else.
  static Decimal parse(std::string_view text);
  std::string str() const;
  Decimal plus_points(int64_t points) const { return {units + points, digits}; }
};

}  // namespace vigil::ea
