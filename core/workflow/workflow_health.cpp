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

// A device holding positions (open or closing) that has not called for
// longer than device_silent_after_ms. Walks the book's devices, never its
// positions: each device indexes the tickets it holds.
size_t Workflow::silent_devices_locked(ClientBook& b, int64_t now, std::vector<std::string>* ids) const {
  size_t silent = 0;
  for (const auto& [id, device] : b.devices()) {
    if (device.tickets.empty() || now - device.last_seen <= options_.device_silent_after_ms) continue;
    ++silent;
    if (ids) ids->push_back(id);
  }
  return silent;
}

// The store's health follows real commits. When it is failing and nothing
// else commits (a quiet hour, or a load balancer that stopped sending
// traffic because /healthz said 503), this one-row write is what notices
// that it is back. It is a commit, not a read, so it proves what health
// claims: that writes go through.
void Workflow::probe_store(int64_t now) {
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
