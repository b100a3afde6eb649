// ABI 1.3's FENCE and NONCE writes (store.h): not rows of Vigil's tables but
// a group's guard (the group commits only while a host holds a shard's
// lease) and a signed request's claim on its nonce. Only a store that
// serves several hosts takes them (store-postgres); check_group hands them
// over apart from the rows, checked like the rows (VIGIL_INVALID_ARGUMENT
// naming the write and the field).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "vigil/store.h"

namespace vigil::store {

// The views borrow the caller's records: valid during apply only.
struct FenceWrite {
  int32_t shard = 0;
  std::string_view owner;
  int64_t epoch = 0;
};

struct NonceWrite {
  std::string_view device_id;
  std::string_view nonce;
  int64_t claimed_at = 0;  // unix ms
  int64_t expires_at = 0;  // unix ms
};

struct ClusterWrites {
  std::vector<FenceWrite> fences;  // in the group's order
  std::vector<NonceWrite> nonces;  // in the group's order
  bool empty() const { return fences.empty() && nonces.empty(); }
};

// VIGIL_ENTITY_FENCE or VIGIL_ENTITY_NONCE.
bool is_cluster_entity(int32_t entity);

// "FENCE" or "NONCE", as messages name them.
const char* cluster_entity_name(int32_t entity);

// Checks write `index` (a FENCE or NONCE) and adds it to `out`. Throws
// std::invalid_argument naming the write and the field.
void take_cluster_write(const vigil_store_write& w, size_t index, ClusterWrites& out);

}  // namespace vigil::store
