// What the host says of its own health (system.health, admin.health): its
// feeds, stale instruments, the active source per instrument, the store as
// its last commits found it, and the workflow's alerts.
//
// Degraded when a feed failed or reports an error from its health(), an instrument is stale (FeedIntake's clock
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
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/app/feed_intake.hpp"
#include "core/engine/rule_failures.hpp"
#include "core/support/metrics.hpp"
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
  std::string error;              // why it stopped, if it failed
  std::string health_error = {};  // why it is failing, as its health() said (ABI 1.3)
};

class Health {
 public:
  Health(const Instruments& instruments, const FeedIntake& intake) : instruments_(instruments), intake_(intake) {}

  void set_feed_status_source(std::function<std::vector<FeedStatus>()> source) { feeds_ = std::move(source); }
  void set_rule_failure_source(std::function<RuleFailures()> source) { rule_failures_ = std::move(source); }
  // Hosts sharing a store: this host's part as JSON (Cluster::health_json),
  // which clears `healthy` while its heartbeat fails.
  void set_cluster_source(std::function<std::string(bool& healthy)> source) { cluster_ = std::move(source); }
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
  // vigil_feed_failing{feed}: 1 while a feed has stopped on an error or its
  // health() reports one, else 0.
  void export_metrics(Metrics& metrics) const;

 private:
  const Instruments& instruments_;
  const FeedIntake& intake_;
  // The feeds now; logs each change of a feed's health error (the reads
  // come with /healthz and /metrics, so a change shows at the next one).
  std::vector<FeedStatus> read_feeds() const;

  std::function<std::vector<FeedStatus>()> feeds_;
  mutable std::mutex logged_mutex_;
  mutable std::map<std::string, std::string> logged_health_errors_;  // by feed name
  std::function<RuleFailures()> rule_failures_;
  std::function<std::string(bool& healthy)> cluster_;
  const StoreHealth* store_ = nullptr;
  const Workflow* workflow_ = nullptr;
};

}  // namespace vigil::core
