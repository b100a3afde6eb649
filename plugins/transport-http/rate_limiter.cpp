#include "rate_limiter.hpp"

#include <algorithm>

namespace vigil::http {

RateLimiter::RateLimiter(double per_second, double burst)
    : rate_(per_second), burst_(burst), shards_(std::make_unique<Shard[]>(kDeviceShards)) {}

bool RateLimiter::allow(std::string_view device_id, int64_t now_ms) {
  Shard& shard = shards_[device_shard(device_id)];
  std::lock_guard lock(shard.mutex);
  auto found = shard.buckets.find(device_id);
  if (found == shard.buckets.end())
    found = shard.buckets.try_emplace(std::string(device_id), Bucket{burst_, now_ms}).first;
  else {
    Bucket& b = found->second;
    b.tokens = std::min(burst_, b.tokens + rate_ * static_cast<double>(std::max<int64_t>(0, now_ms - b.at)) / 1000.0);
    b.at = now_ms;
  }
  Bucket& b = found->second;
  if (b.tokens < 1.0) return false;
  b.tokens -= 1.0;
  return true;
}

}  // namespace vigil::http
