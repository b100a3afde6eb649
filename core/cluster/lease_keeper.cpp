#include "core/cluster/lease_keeper.hpp"

#include <algorithm>
#include <chrono>

#include "core/cluster/lease_plan.hpp"
#include "core/cluster/shard_map.hpp"
#include "core/support/histogram.hpp"  // monotonic_ns
#include "core/support/log.hpp"

namespace vigil::core {
namespace {

constexpr int64_t kNsPerMs = 1'000'000;

}  // namespace

LeaseKeeper::LeaseKeeper(ClusterStore store, ClusterOptions options, Handlers handlers)
    : store_(store), options_(std::move(options)), handlers_(std::move(handlers)) {}

LeaseKeeper::~LeaseKeeper() {
  stop();
}

void LeaseKeeper::start() {
  worker_ = std::thread([this] { work(); });
  heartbeats_ = std::thread([this] { run(); });
}

void LeaseKeeper::stop() {
  if (!heartbeats_.joinable()) return;
  {
    std::lock_guard lock(run_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  heartbeats_.join();
  {
    std::lock_guard lock(work_mutex_);
    work_done_ = true;
  }
  work_ready_.notify_all();
  worker_.join();
  // Whatever is still held is given up here and in the store, so another
  // host takes it at its next heartbeat rather than after the lease.
  std::vector<int32_t> held;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [shard, h] : held_) held.push_back(shard);
    held_.clear();
  }
  for (int32_t shard : held)
    if (handlers_.lost) handlers_.lost(shard);
  if (held.empty()) return;
  try {
    store_.heartbeat({options_.host_id, options_.address, options_.shards, options_.lease_ms, {}, held});
  } catch (const std::exception& e) {
    log(LogLevel::warn, "cluster", std::string("shards not given back at stop (they expire): ") + e.what());
  }
}

void LeaseKeeper::run() {
  std::unique_lock lock(run_mutex_);
  while (!stopping_) {
    lock.unlock();
    round();
    lock.lock();
    wake_.wait_for(lock, std::chrono::milliseconds(options_.heartbeat_ms), [this] { return stopping_; });
  }
}

void LeaseKeeper::round() {
  LeasePlan plan;
  {
    std::lock_guard lock(mutex_);
    plan = plan_leases(view_, options_.host_id, options_.shards, options_.lease_ms);
  }
  // A shard is given up here before the store hears of it: no host ever
  // acts on it while another may.
  std::vector<std::pair<int32_t, Change>> released;
  {
    std::lock_guard lock(mutex_);
    for (int32_t shard : plan.release)
      if (held_.erase(shard)) released.emplace_back(shard, Change::lost);
  }
  handle(released);
  int64_t sent = monotonic_ns();
  ClusterView view;
  try {
    view = store_.heartbeat(
        {options_.host_id, options_.address, options_.shards, options_.lease_ms, plan.claim, plan.release});
  } catch (const std::exception& e) {
    std::lock_guard lock(mutex_);
    if (last_error_ != e.what()) log(LogLevel::error, "cluster", std::string("heartbeat failed: ") + e.what());
    last_error_ = e.what();
    return;  // what is held stays valid until its time runs out
  }
  handle(adopt(view, sent));
}

std::vector<std::pair<int32_t, LeaseKeeper::Change>> LeaseKeeper::adopt(const ClusterView& view, int64_t sent_ns) {
  std::vector<std::pair<int32_t, Change>> changes;
  std::lock_guard lock(mutex_);
  if (!last_error_.empty()) log(LogLevel::info, "cluster", "heartbeat succeeded again");
  last_error_.clear();
  std::map<int32_t, Held> now_held;
  int64_t margin_ns = options_.heartbeat_ms * kNsPerMs / 2;
  for (const LeaseRow& lease : view.leases) {
    if (lease.owner != options_.host_id || lease.expires_in_ms <= 0) continue;
    int64_t valid_for = std::min(lease.expires_in_ms, options_.lease_ms) * kNsPerMs - margin_ns;
    now_held[lease.shard] = {lease.epoch, sent_ns + valid_for};
  }
  for (const auto& [shard, h] : held_) {
    auto it = now_held.find(shard);
    if (it == now_held.end() || it->second.epoch != h.epoch) changes.emplace_back(shard, Change::lost);
  }
  for (const auto& [shard, h] : now_held) {
    auto it = held_.find(shard);
    if (it == held_.end() || it->second.epoch != h.epoch) {
      changes.emplace_back(shard, Change::gained);
      ++takeovers_;
    }
  }
  held_ = std::move(now_held);
  view_ = view;
  renewed_ns_ = sent_ns;
  return changes;
}

void LeaseKeeper::handle(std::vector<std::pair<int32_t, Change>> changes) {
  if (changes.empty()) return;
  {
    std::lock_guard lock(work_mutex_);
    for (auto& c : changes) work_.push_back(c);
  }
  work_ready_.notify_all();
}

void LeaseKeeper::work() {
  std::unique_lock lock(work_mutex_);
  while (true) {
    work_ready_.wait(lock, [this] { return work_done_ || !work_.empty(); });
    if (work_.empty()) return;
    auto [shard, change] = work_.front();
    work_.pop_front();
    lock.unlock();
    log(LogLevel::info, "cluster",
        std::string(change == Change::gained ? "took shard " : "gave up shard ") + std::to_string(shard));
    try {
      if (change == Change::gained && handlers_.gained) handlers_.gained(shard);
      if (change == Change::lost && handlers_.lost) handlers_.lost(shard);
    } catch (const std::exception& e) {
      log(LogLevel::error, "cluster", "shard " + std::to_string(shard) + ": " + e.what());
    }
    lock.lock();
  }
}

std::optional<FenceRow> LeaseKeeper::fence_of(const std::string& client_id) const {
  int32_t shard = shard_of(client_id, options_.shards);
  std::lock_guard lock(mutex_);
  auto it = held_.find(shard);
  if (it == held_.end() || it->second.valid_until_ns <= monotonic_ns()) return std::nullopt;
  return FenceRow{shard, options_.host_id, it->second.epoch};
}

LeaseKeeper::Status LeaseKeeper::status() const {
  std::lock_guard lock(mutex_);
  Status s;
  int64_t now = monotonic_ns();
  for (const auto& [shard, h] : held_)
    if (h.valid_until_ns > now) s.owned.push_back(shard);
  s.renewed_ms_ago = renewed_ns_ ? (now - renewed_ns_) / kNsPerMs : -1;
  s.takeovers = takeovers_;
  for (const HostRow& host : view_.hosts) s.hosts_alive += host.seen_ms_ago < options_.lease_ms;
  s.last_error = last_error_;
  return s;
}

}  // namespace vigil::core
