#include "nonce_cache.hpp"

namespace vigil::http {

NonceCache::Verdict NonceCache::use(const std::string& device_id, const std::string& nonce, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  Seen& seen = devices_[device_id];
  while (!seen.by_time.empty() && seen.by_time.front().first <= now_ms) {
    seen.nonces.erase(seen.by_time.front().second);
    seen.by_time.pop_front();
  }
  if (seen.nonces.count(nonce)) return Verdict::replayed;
  if (seen.nonces.size() >= max_) return Verdict::full;
  seen.nonces.insert(nonce);
  seen.by_time.emplace_back(now_ms + remember_ms_, nonce);
  return Verdict::fresh;
}

}  // namespace vigil::http
