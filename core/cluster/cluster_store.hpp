// Core's side of the store ABI's cluster calls (vigil/store.h, ABI 1.3):
// a lease-keeping heartbeat and the wait for other hosts' commits. Errors
// become StoreError, as for StorePort.
//
// Threading: heartbeat from one thread (the lease keeper), wait_changes
// from one (the change tail); both may run at once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/plugins/component.hpp"
#include "core/workflow/store_port.hpp"

namespace vigil::core {

struct LeaseRow {
  int32_t shard = 0;
  std::string owner;  // empty: free
  int64_t epoch = 0;
  int64_t expires_in_ms = 0;  // <= 0: expired
  int64_t held_for_ms = 0;
};

struct HostRow {
  std::string id, address;
  int64_t seen_ms_ago = 0;
};

struct ClusterView {
  std::vector<LeaseRow> leases;  // by shard
  std::vector<HostRow> hosts;
};

struct HeartbeatRequest {
  std::string host_id;  // empty: only read
  std::string address;
  int32_t shards = 0;
  int64_t lease_ms = 0;
  std::vector<int32_t> claim, release;
};

class ClusterStore {
 public:
  // Whether the store can serve several hosts (it offers both calls).
  static bool offered_by(const Component<vigil_store_vtable>& store);

  // `store` must outlive this and offer the calls.
  explicit ClusterStore(const Component<vigil_store_vtable>& store) : store_(&store) {}

  ClusterView heartbeat(const HeartbeatRequest& request) const;
  // The highest audit seq once it is above after_seq, or after timeout_ms.
  int64_t wait_changes(int64_t after_seq, int64_t timeout_ms) const;

 private:
  const Component<vigil_store_vtable>* store_;
};

}  // namespace vigil::core
