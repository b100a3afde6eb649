// Follows what every host commits (README.md): waits for the store's audit
// log to grow (wait_changes: at once on PostgreSQL's NOTIFY), reads the
// rows after the last one followed and hands them on. A lost notification
// or a lost connection loses nothing: the next read starts from the last
// seq followed, and the wait times out every half second anyway.
//
// Threading: one thread of its own between start and stop; `follow` runs
// on it. followed_seq from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "core/cluster/cluster_store.hpp"
#include "core/workflow/store_port.hpp"

namespace vigil::core {

class ChangeTail {
 public:
  using Follow = std::function<void(const std::vector<AuditRow>&)>;

  // `cluster` and `store` are the same store's; both must outlive this.
  ChangeTail(ClusterStore cluster, StorePort store, Follow follow)
      : cluster_(cluster), store_(std::move(store)), follow_(std::move(follow)) {}
  ~ChangeTail() { stop(); }
  ChangeTail(const ChangeTail&) = delete;
  ChangeTail& operator=(const ChangeTail&) = delete;

  // The highest seq stored now: what a host reads at start is followed from there.
  int64_t current_seq() const { return cluster_.wait_changes(INT64_MAX, 0); }
  // Follows every row after `seq`.
  void start(int64_t seq);
  void stop();
  int64_t followed_seq() const noexcept { return followed_.load(); }
  // Audit rows stored and not followed yet, as the last wait saw them.
  int64_t behind() const noexcept { return std::max<int64_t>(0, stored_.load() - followed_.load()); }

 private:
  void run();
  // Follows what was stored after followed_ up to `last`.
  void catch_up(int64_t last);

  ClusterStore cluster_;
  StorePort store_;
  Follow follow_;
  std::atomic<int64_t> followed_{0}, stored_{0};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace vigil::core
