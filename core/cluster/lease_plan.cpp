#include "core/cluster/lease_plan.hpp"

#include <algorithm>
#include <map>

#include "core/cluster/shard_map.hpp"

namespace vigil::core {
namespace {

bool held(const LeaseRow& lease) {
  return !lease.owner.empty() && lease.expires_in_ms > 0;
}

}  // namespace

LeasePlan plan_leases(const ClusterView& view, const std::string& me, int32_t shards, int64_t lease_ms) {
  std::map<std::string, int32_t> count;  // shards held, by host alive
  count[me] = 0;
  for (const HostRow& host : view.hosts)
    if (host.seen_ms_ago < lease_ms) count.emplace(host.id, 0);
  std::vector<int32_t> mine, free;
  for (const LeaseRow& lease : view.leases) {
    if (!held(lease)) {
      free.push_back(lease.shard);
      continue;
    }
    if (auto it = count.find(lease.owner); it != count.end()) ++it->second;
    if (lease.owner == me) mine.push_back(lease.shard);
  }
  if (view.leases.empty())  // the first heartbeat of a new cluster: every shard is free
    for (int32_t s = 0; s < shards; ++s) free.push_back(s);
  auto alive = static_cast<int32_t>(count.size());
  int32_t most = (shards + alive - 1) / alive, least = shards / alive;
  auto held_now = static_cast<int32_t>(mine.size());

  LeasePlan plan;
  if (held_now < most && !free.empty()) {
    // Hosts start their search at different shards, so that hosts claiming
    // at once mostly ask for different ones.
    auto start = static_cast<size_t>(shard_of(me, static_cast<int32_t>(free.size())));
    std::rotate(free.begin(), free.begin() + static_cast<ptrdiff_t>(start), free.end());
    free.resize(std::min<size_t>(free.size(), static_cast<size_t>(most - held_now)));
    plan.claim = std::move(free);
    return plan;
  }
  std::sort(mine.rbegin(), mine.rend());  // the highest shards go first
  int32_t give = std::max(0, held_now - most);
  bool someone_short = std::any_of(count.begin(), count.end(), [&](const auto& c) { return c.second < least; });
  if (give == 0 && held_now == most && free.empty() && someone_short && most > least) give = 1;
  plan.release.assign(mine.begin(), mine.begin() + give);
  return plan;
}

}  // namespace vigil::core
