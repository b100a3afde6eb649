// A token bucket per device: `per_second` requests on average, bursts up to
// `burst`. Counted after authentication, so nobody can spend another
// device's budget by sending its id.
//
// Threading: thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace vigil::http {

class RateLimiter {
 public:
  RateLimiter(double per_second, double burst) : rate_(per_second), burst_(burst) {}
  bool allow(const std::string& device_id, int64_t now_ms);

 private:
  struct Bucket {
    double tokens;
    int64_t at;
  };
  double rate_, burst_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace vigil::http
