// This host's part in a cluster of hosts sharing one store (README.md):
// its leases (LeaseKeeper) drive the workflow's take_over and give_up,
// and the change tail feeds the workflow what the other hosts commit.
//
// Ownership: `store` and `workflow` must outlive this. Threading: start
// once after the workflow recovered; stop (or the destructor) stops both
// threads and gives the shards back, and must come before the workflow or
// the engines go. After stop, ownership() stays valid and answers that
// this host acts for no client: the timer and the engines, which ask it,
// may still be running. health_json and export_metrics from any thread.
#pragma once

#include <string>

#include "core/cluster/change_tail.hpp"
#include "core/cluster/lease_keeper.hpp"
#include "core/support/metrics.hpp"
#include "core/workflow/workflow.hpp"

namespace vigil::core {

class Cluster {
 public:
  // Throws std::invalid_argument when the store cannot serve several hosts.
  Cluster(const Component<vigil_store_vtable>& store, ClusterOptions options, Workflow& workflow);
  ~Cluster();

  // What the workflow asks before acting on a client. Valid while this lives.
  const Ownership& ownership() const noexcept { return keeper_; }
  // The audit seq now: call before the workflow recovers, start after.
  int64_t current_seq() const { return tail_.current_seq(); }
  void start(int64_t recovered_at_seq);
  void stop();  // idempotent

  // {"host_id","shards","owned":[...],"lease_renewed_ms_ago","takeovers",
  //  "hosts_alive","changes_behind"} and "error" after a failed heartbeat.
  // `healthy` turns false while this host holds no valid lease on shards
  // it should (a heartbeat failing).
  std::string health_json(bool& healthy) const;
  void export_metrics(Metrics& metrics) const;

 private:
  Workflow& workflow_;
  LeaseKeeper keeper_;
  ChangeTail tail_;
};

}  // namespace vigil::core
