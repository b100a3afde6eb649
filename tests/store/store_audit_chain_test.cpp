// The audit chain, computed by the store inside the append transaction:
// a known first row, links across groups (also after a refused group), rows
// that reach the log around the plugin, and concurrent appenders in several
// store instances (as several hosts on one database) extending one chain.
#include <thread>

#include "store_fixture.hpp"

namespace vigil::test::store {
namespace {

VIGIL_STORE_SUITE(StoreAuditChain);

// The index of the first row that does not extend the chain, or -1.
long first_broken(const std::vector<Audit>& rows) {
  std::string prev = kGenesis;
  for (size_t i = 0; i < rows.size(); ++i) {
    const Audit& row = rows[i];
    if (row.seq != static_cast<int64_t>(i + 1) || row.prev_hash != prev || row.hash != chain_hash(row))
      return static_cast<long>(i);
    prev = row.hash;
  }
  return -1;
}

TEST_P(StoreAuditChain, TheFirstRowChainsFromZerosWithTheDocumentedHash) {
  Audit forged = audit("p1", "opened");
  forged.seq = 9;
  forged.prev_hash = "forged";
  forged.hash = "forged";
  ASSERT_TRUE(store().apply(Group().insert(forged)).ok());
  Audit row = store().all<Audit>().at(0);
  EXPECT_EQ(row.seq, 1);
  EXPECT_EQ(row.prev_hash, kGenesis);
  // sha256 of "1:1\n4:3000\n8:position\n2:p1\n6:opened\n14:{"why":"test"}\n64:000...000\n",
  // computed apart (Python's hashlib).
  EXPECT_EQ(row.hash, "4c3b2c350948b841f41e4e0eb0204d84d1d621a1b28e6f4352438ea93c7bdd19");
}

TEST_P(StoreAuditChain, AnEmptyDetailIsHashedAsAnEmptyField) {
  Audit first = audit("p1", "opened");
  Audit second = audit("p2", "opened");
  second.detail_json = "";
  ASSERT_TRUE(store().apply(Group().insert(first).insert(second)).ok());
  EXPECT_EQ(store().all<Audit>().at(1).hash, "c4b95e7bfa59268d72316f6693d3fbb03e0d3c90b2b6e69a4ec091af13b371a0");
}

TEST_P(StoreAuditChain, TheChainIsUnbrokenAcrossGroupsAndRefusedGroups) {
  ASSERT_TRUE(store().apply(Group().insert(audit("p1", "opened")).insert(audit("p2", "opened"))).ok());
  ASSERT_EQ(store().apply(seed(0).insert(audit("p3", "refused")).insert(client("c1"))).status, VIGIL_CONFLICT);
  ASSERT_TRUE(store().apply(Group().insert(audit("p3", "opened"))).ok());
  Group three;
  for (const char* action : {"closing", "executed", "closed"}) three.insert(audit("p1", action));
  ASSERT_TRUE(store().apply(three).ok());
  auto rows = store().all<Audit>();
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(first_broken(rows), -1);
  for (size_t i = 1; i < rows.size(); ++i) EXPECT_EQ(rows[i].prev_hash, rows[i - 1].hash);
}

TEST_P(StoreAuditChain, ARowInsertedAroundThePluginIsChainedFrom) {
  ASSERT_TRUE(store().apply(Group().insert(audit("p1", "opened"))).ok());
  ASSERT_EQ(raw().exec("INSERT INTO audit_log (at, entity, entity_id, action, prev_hash, hash) "
                       "VALUES (1, 'position', 'p2', 'opened', 'x', 'outside')"),
            "");
  ASSERT_TRUE(store().apply(Group().insert(audit("p3", "opened"))).ok());
  auto rows = store().all<Audit>();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2].prev_hash, "outside");
  EXPECT_EQ(rows[2].hash, chain_hash(rows[2]));
  EXPECT_EQ(first_broken(rows), 1) << "the outside row breaks the chain, and verification can tell";
}

TEST_P(StoreAuditChain, ConcurrentAppendersInSeveralInstancesExtendOneChain) {
  constexpr int kInstances = 2, kThreadsEach = 4, kGroups = 20;
  std::vector<std::unique_ptr<StoreUnderTest>> hosts;
  for (int i = 0; i < kInstances; ++i) {
    hosts.push_back(open());
    ASSERT_TRUE(hosts.back()->migrate().ok());
  }
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kInstances * kThreadsEach; ++t)
    threads.emplace_back([&, t] {
      StoreUnderTest& s = *hosts[static_cast<size_t>(t % kInstances)];
      for (int g = 0; g < kGroups; ++g) {
        std::string id = "p" + std::to_string(t) + "-" + std::to_string(g);
        if (!s.apply(Group().insert(audit(id, "opened")).insert(audit(id, "closed"))).ok()) ++failures;
      }
    });
  for (auto& thread : threads) thread.join();
  ASSERT_EQ(failures, 0);
  auto rows = hosts[0]->all<Audit>();
  ASSERT_EQ(rows.size(), size_t{2 * kInstances * kThreadsEach * kGroups});
  EXPECT_EQ(first_broken(rows), -1);
  for (size_t i = 0; i < rows.size(); i += 2)
    EXPECT_EQ(rows[i].entity_id, rows[i + 1].entity_id) << "a group's rows are adjacent in the chain";
}

}  // namespace
}  // namespace vigil::test::store
