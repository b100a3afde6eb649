// Vigil C++ SDK — stores. See store.h for the model; records stay the C
// structs of store.h, which a store maps to its tables.
#pragma once

#include <cstddef>
#include <cstdint>

#include "vigil/cpp/host.hpp"
#include "vigil/store.h"

namespace vigil::sdk {

class Store {
 public:
  virtual ~Store() = default;
  // Applies pending migrations; returns the schema version reached.
  virtual int64_t migrate() = 0;
  // One transaction for the whole group, or nothing (throw).
  virtual void apply(const vigil_store_write* writes, size_t count) = 0;
  virtual void query(const vigil_store_query& query, const vigil_store_visitor& visitor) = 0;
};

// A store several hosts can share (ABI 1.3): register it with
// cluster_store<T>(), not store<T>(). Its apply() also takes the FENCE and
// NONCE writes, checked as store.h says.
class ClusterStore : public Store {
 public:
  // One round of this host's lease keeping, by the database's clock, then
  // every lease and every host seen, visited (store.h: heartbeat).
  virtual void heartbeat(const vigil_store_heartbeat& request, const vigil_store_visitor& visitor) = 0;
  // Returns the highest audit seq stored, once it is above after_seq or
  // after timeout_ms, whichever comes first (store.h: wait_changes).
  virtual int64_t wait_changes(int64_t after_seq, int64_t timeout_ms) = 0;
};

}  // namespace vigil::sdk
