// What /healthz learns from the workflow, kept up to date by the
// maintenance tick so that answering it never waits on the workflow's lock
// (held across store commits, so as long as a stuck store call lasts).
#include "core/support/log.hpp"
#include "core/workflow/workflow.hpp"

namespace vigil::core {
namespace {

// While the store fails: one small commit a second at most.
constexpr int64_t kProbeEveryMs = 1000;

}  // namespace

// Every maintenance tick (200 ms): one pass over the live positions, as a
// /metrics scrape makes, so /healthz is never more than a tick behind.
void Workflow::count_alerts_locked(int64_t now) {
  overdue_count_ = alerted_commands_.size();
  size_t silent = 0;
  std::set<std::string> counted;
  for (const auto& [id, live] : positions_) {
    if (live.row.state != "open" && live.row.state != "closing") continue;
    if (!counted.insert(live.row.device_id).second) continue;
    auto device = devices_.find(live.row.device_id);
    silent += device != devices_.end() && now - device->second.last_seen > options_.device_silent_after_ms;
  }
  silent_count_ = silent;
}

// The store's health follows real commits. When it is failing and nothing
// else commits (a quiet hour, or a load balancer that stopped sending
// traffic because /healthz said 503), this one-row write is what notices
// that it is back. It is a commit, not a read, so it proves what health
// claims: that writes go through.
void Workflow::probe_store_locked(int64_t now) {
  if (store_.healthy() || now - probed_at_ < kProbeEveryMs) return;
  probed_at_ = now;
  WriteBatch probe;
  probe.upsert(MetaRow{"store_probed_at", std::to_string(now)});
  try {
    store_.apply(probe);
  } catch (const std::exception& e) {
    log(LogLevel::debug, "workflow", std::string("store still failing: ") + e.what());
  }
}

}  // namespace vigil::core
