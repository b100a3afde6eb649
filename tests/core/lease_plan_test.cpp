// How a host plans its next heartbeat (core/cluster/lease_plan.hpp): it
// claims free or expired shards up to its fair share, gives up what it
// holds above it, and gives one up for a host alive that holds too few.
#include "core/cluster/lease_plan.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "core/cluster/shard_map.hpp"

namespace vigil::core {
namespace {

// A view of `shards` leases: owners by shard ("" free); `expired` shards
// held but run out; hosts seen now.
ClusterView view_of(int32_t shards, const std::map<int32_t, std::string>& owners, const std::vector<std::string>& hosts,
                    const std::vector<int32_t>& expired = {}) {
  ClusterView v;
  for (int32_t s = 0; s < shards; ++s) {
    auto it = owners.find(s);
    std::string owner = it == owners.end() ? "" : it->second;
    bool run_out = std::count(expired.begin(), expired.end(), s) > 0;
    v.leases.push_back({s, owner, 1, owner.empty() || run_out ? -5 : 2000, 100});
  }
  for (const std::string& h : hosts) v.hosts.push_back({h, "", 100});
  return v;
}

std::vector<int32_t> sorted(std::vector<int32_t> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST(LeasePlan, TheFirstHostOfANewClusterClaimsEveryShard) {
  LeasePlan plan = plan_leases({}, "a", 8, 3000);
  EXPECT_EQ(sorted(plan.claim), (std::vector<int32_t>{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_TRUE(plan.release.empty());
}

TEST(LeasePlan, AHostClaimsFreeShardsUpToItsFairShareOnly) {
  // Three hosts alive, 8 shards: at most ceil(8/3) = 3 each.
  LeasePlan plan = plan_leases(view_of(8, {{0, "b"}, {1, "b"}, {2, "c"}}, {"a", "b", "c"}), "a", 8, 3000);
  EXPECT_EQ(plan.claim.size(), 3u);
  for (int32_t s : plan.claim) EXPECT_GE(s, 3);
  EXPECT_TRUE(plan.release.empty());
}

TEST(LeasePlan, ExpiredLeasesAreClaimedAsFreeOnes) {
  // b died: its leases ran out; a and c alive share its shards.
  std::map<int32_t, std::string> owners{{0, "a"}, {1, "a"}, {2, "a"}, {3, "b"}, {4, "b"}, {5, "b"}, {6, "c"}, {7, "c"}};
  LeasePlan plan = plan_leases(view_of(8, owners, {"a", "c"}, {3, 4, 5}), "a", 8, 3000);
  EXPECT_EQ(plan.claim.size(), 1u);  // a holds 3 of its 4
  for (int32_t s : plan.claim) EXPECT_TRUE(s >= 3 && s <= 5);
}

TEST(LeasePlan, AHostAboveItsShareGivesUpTheExcessHighestFirst) {
  // c rejoined: a and b hold four each, the share is three.
  std::map<int32_t, std::string> owners{{0, "a"}, {1, "a"}, {2, "a"}, {3, "a"}, {4, "b"}, {5, "b"}, {6, "b"}, {7, "b"}};
  LeasePlan plan = plan_leases(view_of(8, owners, {"a", "b", "c"}), "a", 8, 3000);
  EXPECT_TRUE(plan.claim.empty());
  EXPECT_EQ(plan.release, (std::vector<int32_t>{3}));
}

TEST(LeasePlan, AHostAtItsShareGivesOneUpForAHostWithTooFewWhenNoneIsFree) {
  // 16 shards, 3 hosts: share 6, floor 5; c holds 4.
  std::map<int32_t, std::string> owners;
  for (int32_t s = 0; s < 16; ++s) owners[s] = s < 6 ? "a" : s < 12 ? "b" : "c";
  LeasePlan plan = plan_leases(view_of(16, owners, {"a", "b", "c"}), "a", 16, 3000);
  EXPECT_EQ(plan.release, (std::vector<int32_t>{5}));
}

TEST(LeasePlan, ABalancedClusterChangesNothing) {
  std::map<int32_t, std::string> owners{{0, "a"}, {1, "a"}, {2, "a"}, {3, "b"}, {4, "b"}, {5, "b"}, {6, "c"}, {7, "c"}};
  for (const char* me : {"a", "b", "c"}) {
    LeasePlan plan = plan_leases(view_of(8, owners, {"a", "b", "c"}), me, 8, 3000);
    EXPECT_TRUE(plan.claim.empty()) << me;
    EXPECT_TRUE(plan.release.empty()) << me;
  }
}

TEST(LeasePlan, AHostNotSeenWithinALeaseDoesNotCount) {
  // b was last seen 5 s ago: a alone is alive, so its share is all 4.
  ClusterView v = view_of(4, {{0, "a"}, {1, "a"}}, {"a"});
  v.hosts.push_back({"b", "", 5000});
  LeasePlan plan = plan_leases(v, "a", 4, 3000);
  EXPECT_EQ(sorted(plan.claim), (std::vector<int32_t>{2, 3}));
}

TEST(LeasePlan, RepeatedRoundsConvergeToAnEvenSpread) {
  // Three hosts join one after another; each round every host plans on
  // the view the last one left, and the plans are applied like a store.
  const int32_t shards = 16;
  ClusterView v;
  std::vector<std::string> hosts;
  for (const std::string joining : {"a", "b", "c"}) {
    hosts.push_back(joining);
    for (int round = 0; round < 10; ++round)
      for (const std::string& me : hosts) {
        v.hosts.clear();
        for (const std::string& h : hosts) v.hosts.push_back({h, "", 0});
        if (v.leases.empty())
          for (int32_t s = 0; s < shards; ++s) v.leases.push_back({s, "", 0, -1, 0});
        LeasePlan plan = plan_leases(v, me, shards, 3000);
        for (LeaseRow& l : v.leases) {
          if (std::count(plan.release.begin(), plan.release.end(), l.shard) && l.owner == me)
            l = {l.shard, "", l.epoch, -1, 0};
          if (std::count(plan.claim.begin(), plan.claim.end(), l.shard) && l.expires_in_ms <= 0)
            l = {l.shard, me, l.epoch + 1, 3000, 0};
        }
      }
  }
  std::map<std::string, int> held;
  for (const LeaseRow& l : v.leases) ++held[l.owner];
  EXPECT_EQ(held.count(""), 0u) << "a shard left free";
  for (const std::string& h : hosts) EXPECT_TRUE(held[h] == 5 || held[h] == 6) << h << " holds " << held[h];
}

TEST(ShardMap, IsFnv1aModuloTheShardCount) {
  EXPECT_EQ(shard_of("", 16), static_cast<int32_t>(14695981039346656037ull % 16));
  EXPECT_EQ(shard_of("a", 1000), static_cast<int32_t>(0xaf63dc4c8601ec8cull % 1000));  // FNV-1a 64 of "a"
}

}  // namespace
}  // namespace vigil::core
