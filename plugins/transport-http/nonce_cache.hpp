// Nonces each device has used within the signature window: a nonce seen
// again is a replay. Bounded per device; a device that fills its share
// within one window is refused rather than having old nonces forgotten
// early (forgetting would open a replay).
//
// Threading: all members are thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace vigil::http {

class NonceCache {
 public:
  enum class Verdict { fresh, replayed, full };

  NonceCache(int64_t remember_ms, size_t max_per_device) : remember_ms_(remember_ms), max_(max_per_device) {}
  // Records the nonce when fresh.
  Verdict use(const std::string& device_id, const std::string& nonce, int64_t now_ms);

 private:
  struct Seen {
    std::unordered_set<std::string> nonces;
    std::deque<std::pair<int64_t, std::string>> by_time;  // (expiry, nonce), oldest first
  };
  int64_t remember_ms_;
  size_t max_;
  std::mutex mutex_;
  std::unordered_map<std::string, Seen> devices_;
};

}  // namespace vigil::http
