// A token bucket per device: `per_second` requests on average, bursts up to
// `burst`. Counted after authentication, so nobody can spend another
// device's budget by sending its id.
//
// Devices are spread over shards (device_shard.hpp), each with its own
// mutex, so that devices on different shards never wait for each other.
//
// Threading: thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "device_shard.hpp"

namespace vigil::http {

class RateLimiter {
 public:
  RateLimiter(double per_second, double burst);
  bool allow(std::string_view device_id, int64_t now_ms);

 private:
  struct Bucket {
    double tokens;
    int64_t at;
  };
  struct alignas(64) Shard {  // a cache line each: no false sharing between shard locks
    std::mutex mutex;
    std::unordered_map<std::string, Bucket, DeviceIdHash, std::equal_to<>> buckets;
  };
  double rate_, burst_;
  std::unique_ptr<Shard[]> shards_;
};

}  // namespace vigil::http
