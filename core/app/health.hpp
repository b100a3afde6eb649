// What the host says of its own health (system.health, admin.health): its
// feeds, stale instruments, the active source per instrument, the store as
// its last commits found it, and the workflow's alerts.
//
// Degraded when a feed failed, an instrument is stale (FeedIntake's clock
// and Staleness), the store's last commits failed as unavailable, or a
// rule is failing on a position (its level unfired: a plugin's fault, and
// this server's to report). The
// unauthenticated view carries counts and states only (no ids, no store
// error text); the detailed one adds them.
//
// Ownership: reads what it is given; each must outlive it.
// Threading: configure (set_*, watch_workflow) before serving; report()
// then runs on any thread.
// Errors: whatever the feed status source throws.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/app/feed_intake.hpp"
#include "core/engine/rule_failures.hpp"
#include "core/workflow/store_health.hpp"
#include "core/workflow/workflow.hpp"

namespace vigil::core {

// What the host knows of one running feed.
struct FeedStatus {
  std::string name;
  bool running = false;
  bool connected = false;
  int64_t last_tick_unix_ms = 0;
  uint64_t ticks_published = 0;
  uint64_t rows_skipped = 0;
  std::string error;  // why it stopped, if it failed
};

class Health {
 public:
  Health(const Instruments& instruments, const FeedIntake& intake) : instruments_(instruments), intake_(intake) {}

  void set_feed_status_source(std::function<std::vector<FeedStatus>()> source) { feeds_ = std::move(source); }
  void set_rule_failure_source(std::function<RuleFailures()> source) { rule_failures_ = std::move(source); }
  void watch_workflow(const StoreHealth& store, const Workflow& workflow) {
    store_ = &store;
    workflow_ = &workflow;
  }

  struct Report {
    bool healthy = true;
    std::string json;  // {"status":"ok"|"degraded", ...}
  };
  // `detail`: the admin's view (silent device ids, overdue command ids, the
  // store's last error).
  Report report(bool detail) const;

 private:
  const Instruments& instruments_;
  const FeedIntake& intake_;
  std::function<std::vector<FeedStatus>()> feeds_;
  std::function<RuleFailures()> rule_failures_;
  const StoreHealth* store_ = nullptr;
  const Workflow* workflow_ = nullptr;
};

}  // namespace vigil::core
