#include "core/app/staleness.hpp"

#include <algorithm>

namespace vigil::core {

bool Staleness::stale(const TradingHours& hours, int64_t last_tick_ms, int64_t now) const {
  if (stale_after_ms_ <= 0) return false;
  std::optional<int64_t> open_since = hours.open_since(now);
  if (!open_since) return false;  // closed: silence is expected
  int64_t silent_since = std::max(last_tick_ms ? last_tick_ms : started_ms_, *open_since);
  return now - silent_since > stale_after_ms_;
}

}  // namespace vigil::core
