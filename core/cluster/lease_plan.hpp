// What a host asks for in its next heartbeat: the shards to claim and to
// give up, so that the shards spread evenly over the hosts alive. A pure
// function of the last view, so every case is unit-tested.
//
// Each host aims at its fair share, ceil(shards / hosts alive): it claims
// free or expired shards up to it, and gives up what it holds above it.
// When nothing is free and a host alive holds less than floor(shards /
// hosts), a host at its share gives up one, so a host that rejoins gets
// its part back within a few heartbeats. A host is alive while it has
// been seen within one lease.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/cluster/cluster_store.hpp"

namespace vigil::core {

struct LeasePlan {
  std::vector<int32_t> claim, release;
};

LeasePlan plan_leases(const ClusterView& view, const std::string& me, int32_t shards, int64_t lease_ms);

}  // namespace vigil::core
