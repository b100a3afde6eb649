// Per-device state (nonces, rate buckets) is split into kDeviceShards
// shards by a hash of the device id, each shard under its own mutex:
// devices on different shards never wait for each other.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

namespace vigil::http {

inline constexpr size_t kDeviceShards = 64;

// Hashes std::string keys and std::string_view lookups alike, so that a
// map keyed by device id is searched without building a string.
struct DeviceIdHash {
  using is_transparent = void;
  size_t operator()(std::string_view id) const { return std::hash<std::string_view>{}(id); }
};

// The shard of a device: the top bits of a multiplicative mix of its hash
// (a map inside a shard uses the hash's low bits, which must not all be alike).
inline size_t device_shard(std::string_view device_id) {
  static_assert(kDeviceShards == 64, "the top 6 bits");
  return static_cast<size_t>((static_cast<uint64_t>(DeviceIdHash{}(device_id)) * 0x9E3779B97F4A7C15ull) >> 58);
}

}  // namespace vigil::http
