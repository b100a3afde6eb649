#include "core/support/clock.hpp"

#include <chrono>

namespace vigil::core {

int64_t SystemClock::now_ms() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

const Clock& wall_clock() {
  static const SystemClock clock;
  return clock;
}

}  // namespace vigil::core
