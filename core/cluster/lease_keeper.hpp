// A host's leases on the shards (README.md): a heartbeat every
// heartbeat_ms renews what it holds and claims or gives up shards as
// lease_plan.hpp says; the shards gained are taken over and the shards
// lost given up on a thread of their own, in order, so a long takeover
// never delays a renewal.
//
// A host acts on a shard only while its lease is valid by its own clock:
// until the heartbeat that renewed it was sent plus the lease time, minus
// half a heartbeat. The database counts the lease from a moment after the
// send, so the host stops before the lease can expire there; fences
// (ownership.hpp) refuse any write still on its way after that. A host cut
// off from the store thus stops acting by itself, without a heartbeat.
//
// Threading: fence_of and status from any thread; start and stop from one.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/cluster/cluster_store.hpp"
#include "core/workflow/ownership.hpp"

namespace vigil::core {

struct ClusterOptions {
  std::string host_id, address;
  int32_t shards = 16;
  int64_t lease_ms = 2000, heartbeat_ms = 500;
};

class LeaseKeeper : public Ownership {
 public:
  // What to do when a shard is gained (taken over) or lost (given up).
  struct Handlers {
    std::function<void(int32_t shard)> gained, lost;
  };
  struct Status {
    std::vector<int32_t> owned;
    int64_t renewed_ms_ago = -1;  // -1: never
    uint64_t takeovers = 0;       // shards gained since start
    size_t hosts_alive = 0;
    std::string last_error;  // of the last heartbeat; empty when it succeeded
  };

  LeaseKeeper(ClusterStore store, ClusterOptions options, Handlers handlers);
  ~LeaseKeeper() override;
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

  // Starts the heartbeats (the first one at once).
  void start();
  // Stops them, gives up every shard here and tells the store so.
  void stop();

  std::optional<FenceRow> fence_of(const std::string& client_id) const override;
  Status status() const;
  const ClusterOptions& options() const noexcept { return options_; }

 private:
  struct Held {
    int64_t epoch = 0;
    int64_t valid_until_ns = 0;  // steady clock
  };
  enum class Change { gained, lost };

  void run();
  void round();
  // Applies a heartbeat's view sent at `sent_ns`; returns the changes.
  std::vector<std::pair<int32_t, Change>> adopt(const ClusterView& view, int64_t sent_ns);
  void handle(std::vector<std::pair<int32_t, Change>> changes);
  void work();

  ClusterStore store_;
  ClusterOptions options_;
  Handlers handlers_;

  mutable std::mutex mutex_;  // held_, status_, view_
  std::map<int32_t, Held> held_;
  ClusterView view_;
  int64_t renewed_ns_ = 0;
  uint64_t takeovers_ = 0;
  std::string last_error_;

  std::mutex run_mutex_;  // the heartbeat thread's sleep
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread heartbeats_;

  std::mutex work_mutex_;  // the changes waiting to be handled
  std::condition_variable work_ready_;
  std::deque<std::pair<int32_t, Change>> work_;
  bool work_done_ = false;
  std::thread worker_;
};

}  // namespace vigil::core
