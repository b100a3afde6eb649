#include "rate_limiter.hpp"

#include <algorithm>

namespace vigil::http {

bool RateLimiter::allow(const std::string& device_id, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  auto [it, created] = buckets_.try_emplace(device_id, Bucket{burst_, now_ms});
  Bucket& b = it->second;
  if (!created) {
    b.tokens = std::min(burst_, b.tokens + rate_ * static_cast<double>(std::max<int64_t>(0, now_ms - b.at)) / 1000.0);
    b.at = now_ms;
  }
  if (b.tokens < 1.0) return false;
  b.tokens -= 1.0;
  return true;
}

}  // namespace vigil::http
