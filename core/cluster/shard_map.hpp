// Which shard a client belongs to when hosts share one store: FNV-1a (64
// bit) of its id, modulo the shard count. Every host computes the same, in
// every build: the hash is spelled out, not std::hash.
#pragma once

#include <cstdint>
#include <string_view>

namespace vigil::core {

inline int32_t shard_of(std::string_view client_id, int32_t shards) {
  uint64_t hash = 14695981039346656037ull;
  for (char c : client_id) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return static_cast<int32_t>(hash % static_cast<uint64_t>(shards));
}

}  // namespace vigil::core
