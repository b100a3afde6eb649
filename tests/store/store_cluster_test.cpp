// Several hosts on one store (ABI 1.3), against store-postgres on the
// throwaway server: leases kept by heartbeats (claims, expiry, renewal,
// release, the shard count), groups fenced by a lease's epoch, nonces
// claimed once, and wait_changes woken by another instance's commit. Each
// "host" is its own plugin instance with its own connections, as two vigild
// processes would be. And store-sqlite, which serves one host, refuses them.
#include <pqxx/pqxx>

#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>

#include "store_fixture.hpp"

namespace vigil::test::store {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A lease short enough to watch expire in a test.
constexpr int64_t kShortLease = 200;
constexpr auto kPastShortLease = 260ms;

int64_t ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

class StoreCluster : public ::testing::Test {
 protected:
  void SetUp() override {
    try {
      backend_ = make_backend("postgres");
    } catch (const std::exception& e) {
      FAIL() << "postgres database unavailable: " << e.what();
    }
  }

  // Host "a" (created and migrated first) and host "b", two instances on one
  // database.
  StoreUnderTest& a() { return instance(a_); }
  StoreUnderTest& b() { return instance(b_); }
  RawSql& raw() {
    if (!raw_) raw_ = backend_->raw();
    return *raw_;
  }
  std::string dsn() const { return backend_->options()["dsn"]; }

  Round beat(StoreUnderTest& s, Heartbeat h) {
    Round r = s.heartbeat(h);
    EXPECT_TRUE(r.result.ok()) << r.result.message;
    return r;
  }
  Round claim(StoreUnderTest& s, const std::string& host, std::vector<int32_t> shards, int64_t lease_ms = 10'000) {
    return beat(s, {.host_id = host, .lease_ms = lease_ms, .claim = std::move(shards)});
  }

  std::unique_ptr<Backend> backend_;

 private:
  StoreUnderTest& instance(std::unique_ptr<StoreUnderTest>& slot) {
    if (!slot) {
      slot = open_store(*backend_);
      Result r = slot->migrate();
      if (!r.ok()) throw std::runtime_error("migrate failed: " + r.message);
    }
    return *slot;
  }
  std::unique_ptr<StoreUnderTest> a_, b_;
  std::unique_ptr<RawSql> raw_;
};

TEST_F(StoreCluster, TheFirstClaimTakesEpochOneAndEveryShardIsVisited) {
  Round r = beat(a(), {.host_id = "a", .address = "10.0.0.1:8080", .lease_ms = 5'000, .claim = {0, 2}});
  ASSERT_EQ(r.leases.size(), 4u);
  for (int32_t shard = 0; shard < 4; ++shard) EXPECT_EQ(r.leases[static_cast<size_t>(shard)].shard, shard);
  for (int32_t held : {0, 2}) {
    EXPECT_EQ(r.lease(held).owner, "a");
    EXPECT_EQ(r.lease(held).epoch, 1);
    EXPECT_GT(r.lease(held).expires_in_ms, 4'000);
    EXPECT_LE(r.lease(held).expires_in_ms, 5'000);
    EXPECT_GE(r.lease(held).held_for_ms, 0);
    EXPECT_LT(r.lease(held).held_for_ms, 1'000);
  }
  for (int32_t free : {1, 3}) {
    EXPECT_EQ(r.lease(free).owner, "");
    EXPECT_EQ(r.lease(free).epoch, 0);
    EXPECT_LE(r.lease(free).expires_in_ms, 0);
  }
  ASSERT_EQ(r.hosts.size(), 1u);
  EXPECT_EQ(r.hosts[0].id, "a");
  EXPECT_EQ(r.hosts[0].address, "10.0.0.1:8080");
  EXPECT_GE(r.hosts[0].seen_ms_ago, 0);
  EXPECT_LT(r.hosts[0].seen_ms_ago, 1'000);
}

TEST_F(StoreCluster, AHeldShardIsTakenOnlyAfterItsLeaseExpiresAndThenAtTheNextEpoch) {
  claim(a(), "a", {1}, kShortLease);
  Round refused = claim(b(), "b", {1}, kShortLease);
  EXPECT_EQ(refused.lease(1).owner, "a");
  EXPECT_EQ(refused.lease(1).epoch, 1);
  ASSERT_EQ(refused.hosts.size(), 2u);
  std::this_thread::sleep_for(kPastShortLease);
  Round taken = claim(b(), "b", {1}, kShortLease);
  EXPECT_EQ(taken.lease(1).owner, "b");
  EXPECT_EQ(taken.lease(1).epoch, 2);
  EXPECT_LT(taken.lease(1).held_for_ms, kShortLease);
}

TEST_F(StoreCluster, AHeartbeatRenewsTheLeasesItsHostHolds) {
  claim(a(), "a", {0}, 600);
  std::this_thread::sleep_for(350ms);
  Round renewed = beat(a(), {.host_id = "a", .lease_ms = 600});
  EXPECT_GT(renewed.lease(0).expires_in_ms, 500);
  EXPECT_GE(renewed.lease(0).held_for_ms, 350);
  std::this_thread::sleep_for(350ms);  // past the first lease's end, not the renewed one's
  Round refused = claim(b(), "b", {0}, 600);
  EXPECT_EQ(refused.lease(0).owner, "a");
  EXPECT_EQ(refused.lease(0).epoch, 1);
}

TEST_F(StoreCluster, AReleasedShardIsFreeAtOnce) {
  claim(a(), "a", {2, 3});
  Round released = beat(a(), {.host_id = "a", .release = {2}});
  EXPECT_EQ(released.lease(2).owner, "");
  EXPECT_LE(released.lease(2).expires_in_ms, 0);
  EXPECT_EQ(released.lease(3).owner, "a");
  Round taken = claim(b(), "b", {2});
  EXPECT_EQ(taken.lease(2).owner, "b");
  EXPECT_EQ(taken.lease(2).epoch, 2);
}

TEST_F(StoreCluster, AnotherShardCountIsRefusedNamingBoth) {
  beat(a(), {.host_id = "a", .shard_count = 16});
  for (const std::string& host : {std::string("b"), std::string()}) {
    Round r = b().heartbeat({.host_id = host, .shard_count = 8});
    EXPECT_EQ(r.result.status, VIGIL_INVALID_ARGUMENT) << host;
    EXPECT_NE(r.result.message.find("this database's cluster has 16 shards; this host is configured with 8"),
              std::string::npos)
        << r.result.message;
  }
  EXPECT_EQ(raw().column("SELECT count(*) FROM leases"), std::vector<std::string>{"16"});
}

TEST_F(StoreCluster, AReadOnlyHeartbeatOnlyReads) {
  EXPECT_TRUE(beat(b(), {}).leases.empty()) << "an empty database's cluster has no leases yet";
  claim(a(), "a", {0});
  Round read = beat(b(), {.claim = {1}});
  EXPECT_EQ(read.leases.size(), 4u);
  EXPECT_EQ(read.lease(1).owner, "");
  ASSERT_EQ(read.hosts.size(), 1u);
  EXPECT_EQ(read.hosts[0].id, "a");
}

TEST_F(StoreCluster, BadRequestsAreRefusedNamingTheField) {
  EXPECT_NE(a().heartbeat({.host_id = "a", .claim = {4}}).result.message.find("claim[0]: shard 4 is outside 0..3"),
            std::string::npos);
  EXPECT_NE(a().heartbeat({.host_id = "a", .lease_ms = 0}).result.message.find("lease_ms 0"), std::string::npos);
  Result fence = a().apply(Group().insert(Fence{.shard = 0, .owner = "a", .epoch = 0}));
  EXPECT_EQ(fence.status, VIGIL_INVALID_ARGUMENT);
  EXPECT_NE(fence.message.find("write 0: FENCE: epoch 0 is below 1"), std::string::npos) << fence.message;
  Result nonce = a().apply(Group().insert(Nonce{.device_id = "d1", .claimed_at = 1, .expires_at = 2}));
  EXPECT_NE(nonce.message.find("write 0: NONCE: nonce is required"), std::string::npos) << nonce.message;
  EXPECT_EQ(a().wait_changes(0, -1, nullptr).status, VIGIL_INVALID_ARGUMENT);
  int64_t last = 0;
  EXPECT_NE(a().wait_changes(0, -1, &last).message.find("timeout_ms -1 is negative"), std::string::npos);
}

TEST_F(StoreCluster, AGroupFencedByTheCurrentEpochCommits) {
  claim(a(), "a", {1, 3});
  Result r = a().apply(Group()
                           .insert(Fence{.shard = 3, .owner = "a", .epoch = 1})
                           .insert(Fence{.shard = 1, .owner = "a", .epoch = 1})
                           .insert(client("c1"))
                           .insert(audit("c1", "created")));
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(a().all<Client>().size(), 1u);
  EXPECT_EQ(a().all<Audit>().size(), 1u);
}

TEST_F(StoreCluster, AGroupFencedByAnOldEpochFailsAndWritesNothing) {
  claim(a(), "a", {3}, kShortLease);
  std::this_thread::sleep_for(kPastShortLease);
  claim(b(), "b", {3});
  // One row (a statement per write) and several (the batched path).
  for (const Group& group : {Group().insert(Fence{.shard = 3, .owner = "a", .epoch = 1}).insert(client("c1")),
                             Group()
                                 .insert(client("c2"))
                                 .insert(audit("c2", "created"))
                                 .insert(Fence{.shard = 3, .owner = "a", .epoch = 1})}) {
    Result r = a().apply(group);
    EXPECT_EQ(r.status, VIGIL_CONFLICT);
    EXPECT_NE(r.message.find("fenced: shard 3 is no longer held by host a at epoch 1 (host b at epoch 2 holds it)"),
              std::string::npos)
        << r.message;
  }
  EXPECT_TRUE(a().all<Client>().empty());
  EXPECT_TRUE(a().all<Audit>().empty());
}

TEST_F(StoreCluster, EachFenceOfAGroupIsChecked) {
  claim(a(), "a", {0});
  claim(b(), "b", {1});
  Result r = a().apply(Group()
                           .insert(Fence{.shard = 0, .owner = "a", .epoch = 1})
                           .insert(Fence{.shard = 1, .owner = "a", .epoch = 1})
                           .insert(client("c1")));
  EXPECT_EQ(r.status, VIGIL_CONFLICT);
  EXPECT_NE(r.message.find("fenced: shard 1 is no longer held by host a at epoch 1 (host b at epoch 1 holds it)"),
            std::string::npos)
      << r.message;
  EXPECT_TRUE(a().all<Client>().empty());
}

TEST_F(StoreCluster, AnExpiredLeaseFencesItsHostOutBeforeAnyTakeOver) {
  claim(a(), "a", {2}, kShortLease);
  std::this_thread::sleep_for(kPastShortLease);
  Result r = a().apply(Group().insert(Fence{.shard = 2, .owner = "a", .epoch = 1}).insert(client("c1")));
  EXPECT_EQ(r.status, VIGIL_CONFLICT);
  EXPECT_NE(r.message.find("shard 2 is no longer held by host a at epoch 1 (host a at epoch 1 held it; the lease "
                           "expired)"),
            std::string::npos)
      << r.message;
  EXPECT_TRUE(a().all<Client>().empty());
}

// The order the store promises: a fenced group that began while its host
// held the lease commits before anyone takes the lease over, even if the
// lease expires while the group is open; the take-over then gets the next
// epoch, and the old host's next group is fenced out.
TEST_F(StoreCluster, ATakeOverWaitsForAnOpenFencedGroupToCommit) {
  claim(a(), "a", {3}, 400);
  b();  // migrated now, not inside the take-over's thread
  auto lock_waiters = [&] {
    return std::stoi(raw().column("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'").at(0));
  };
  // The audit append lock, held here, keeps a's group open after its fence.
  pqxx::connection holder(dsn());
  pqxx::work append_lock(holder);
  append_lock.exec("SELECT 1 FROM audit_log_counter FOR UPDATE");
  Clock::time_point start = Clock::now();
  std::atomic<int64_t> group_done_ms{-1}, takeover_done_ms{-1};
  Result group;
  Round takeover;
  std::thread group_thread([&] {
    group = a().apply(
        Group().insert(Fence{.shard = 3, .owner = "a", .epoch = 1}).insert(client("c1")).insert(audit("c1", "x")));
    group_done_ms = ms_since(start);
  });
  while (lock_waiters() < 1 && ms_since(start) < 5'000) std::this_thread::sleep_for(5ms);
  std::this_thread::sleep_for(450ms);  // a's lease has expired meanwhile
  std::thread takeover_thread([&] {
    takeover = b().heartbeat({.host_id = "b", .claim = {3}});
    takeover_done_ms = ms_since(start);
  });
  while (lock_waiters() < 2 && ms_since(start) < 5'000) std::this_thread::sleep_for(5ms);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(takeover_done_ms, -1) << "the take-over did not wait for the fenced group";
  int64_t released_ms = ms_since(start);
  append_lock.commit();
  group_thread.join();
  takeover_thread.join();
  ASSERT_TRUE(group.ok()) << group.message;
  ASSERT_TRUE(takeover.result.ok()) << takeover.result.message;
  EXPECT_EQ(takeover.lease(3).owner, "b");
  EXPECT_EQ(takeover.lease(3).epoch, 2);
  EXPECT_GE(group_done_ms, released_ms);
  EXPECT_GE(takeover_done_ms, group_done_ms);
  std::cout << "append lock released at " << released_ms << " ms, fenced group committed at " << group_done_ms
            << " ms, take-over done at " << takeover_done_ms << " ms\n";
  Result late = a().apply(Group().insert(Fence{.shard = 3, .owner = "a", .epoch = 1}).insert(client("c2")));
  EXPECT_EQ(late.status, VIGIL_CONFLICT) << late.message;
  EXPECT_EQ(a().all<Client>().size(), 1u);
}

TEST_F(StoreCluster, HeartbeatsOfManyHostsAtOnceClaimEachShardOnce) {
  constexpr int kHosts = 4, kRounds = 8;
  std::vector<std::unique_ptr<StoreUnderTest>> hosts;
  for (int i = 0; i < kHosts; ++i) {
    hosts.push_back(open_store(*backend_));
    ASSERT_TRUE(hosts.back()->migrate().ok());
  }
  std::vector<int32_t> all_shards(16);
  for (int32_t i = 0; i < 16; ++i) all_shards[static_cast<size_t>(i)] = i;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kHosts; ++i)
    threads.emplace_back([&, i] {
      for (int round = 0; round < kRounds; ++round) {
        Round r = hosts[static_cast<size_t>(i)]->heartbeat(
            {.host_id = "h" + std::to_string(i), .shard_count = 16, .claim = all_shards});
        if (!r.result.ok()) ++failures;
      }
    });
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  Round end = beat(a(), {.shard_count = 16});
  ASSERT_EQ(end.leases.size(), 16u);
  for (const Lease& l : end.leases) {
    EXPECT_NE(l.owner, "") << "shard " << l.shard;
    EXPECT_EQ(l.epoch, 1) << "shard " << l.shard << " was claimed twice";
  }
  EXPECT_EQ(end.hosts.size(), size_t{kHosts});
}

TEST_F(StoreCluster, ANonceIsClaimedOnceUntilItExpires) {
  auto claim_nonce = [&](const std::string& device, int64_t claimed_at) {
    return a().apply(Group().insert(Nonce{device, "n-1", claimed_at, claimed_at + 1'000}));
  };
  ASSERT_TRUE(claim_nonce("d1", 10'000).ok());
  Result again = claim_nonce("d1", 10'999);
  EXPECT_EQ(again.status, VIGIL_CONFLICT);
  EXPECT_NE(again.message.find("nonce n-1 of device d1 already used"), std::string::npos) << again.message;
  EXPECT_TRUE(claim_nonce("d2", 10'500).ok()) << "another device's nonce is its own";
  EXPECT_TRUE(claim_nonce("d1", 11'000).ok()) << "expired at 11000";
  EXPECT_EQ(raw().column("SELECT expires_at FROM nonces WHERE device_id = 'd1'"), std::vector<std::string>{"12000"});
  Result with_rows = a().apply(Group().insert(client("c1")).insert(Nonce{"d1", "n-1", 11'500, 12'500}));
  EXPECT_EQ(with_rows.status, VIGIL_CONFLICT);
  EXPECT_TRUE(a().all<Client>().empty());
}

TEST_F(StoreCluster, AHeartbeatForgetsExpiredNonces) {
  int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  ASSERT_TRUE(
      a().apply(Group().insert(Nonce{"d1", "old", 1'000, 2'000}).insert(Nonce{"d1", "live", now_ms, now_ms + 600'000}))
          .ok());
  beat(a(), {.host_id = "a"});
  EXPECT_EQ(raw().column("SELECT nonce FROM nonces"), std::vector<std::string>{"live"});
}

TEST_F(StoreCluster, WaitChangesAnswersAtOnceWhenTheLogIsAhead) {
  ASSERT_TRUE(a().apply(Group().insert(audit("p1", "opened")).insert(audit("p1", "closed"))).ok());
  int64_t last = -1;
  Clock::time_point start = Clock::now();
  Result r = a().wait_changes(0, 5'000, &last);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(last, 2);
  EXPECT_LT(ms_since(start), 1'000);
}

TEST_F(StoreCluster, WaitChangesTimesOutWhenNothingIsNew) {
  ASSERT_TRUE(a().apply(Group().insert(audit("p1", "opened"))).ok());
  int64_t last = -1;
  Clock::time_point start = Clock::now();
  Result r = a().wait_changes(1, 300, &last);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(last, 1);
  EXPECT_GE(ms_since(start), 300);
  EXPECT_LT(ms_since(start), 2'000);
}

TEST_F(StoreCluster, WaitChangesWakesWhenAnotherInstanceCommitsAnAuditRow) {
  b();  // migrated before the wait starts
  std::atomic<int64_t> woke_ms{-1};
  int64_t last = -1;
  Result waited;
  Clock::time_point start = Clock::now();
  std::thread waiter([&] {
    waited = a().wait_changes(0, 5'000, &last);
    woke_ms = ms_since(start);
  });
  std::this_thread::sleep_for(200ms);
  ASSERT_EQ(woke_ms, -1) << "woke before anything was written";
  int64_t applying_ms = ms_since(start);
  ASSERT_TRUE(b().apply(Group().insert(audit("p1", "opened"))).ok());
  int64_t committed_ms = ms_since(start);
  waiter.join();
  ASSERT_TRUE(waited.ok()) << waited.message;
  EXPECT_EQ(last, 1);
  // The notification leaves at the commit, before apply returns: the wake
  // may come first (a negative figure).
  int64_t latency = woke_ms - committed_ms;
  std::cout << "wait_changes woke " << latency << " ms after the other instance's apply returned (the apply took "
            << committed_ms - applying_ms << " ms)\n";
  RecordProperty("wake_after_commit_ms", static_cast<int>(latency));
  EXPECT_LT(latency, 500);
}

TEST_F(StoreCluster, WaitChangesReportsABrokenConnectionAndReconnects) {
  int64_t last = -1;
  ASSERT_TRUE(a().wait_changes(0, 0, &last).ok());
  ASSERT_EQ(raw().column("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                         "WHERE application_name = 'vigil wait_changes'"),
            std::vector<std::string>{"1"});
  Result broken = a().wait_changes(0, 1'000, &last);
  EXPECT_EQ(broken.status, VIGIL_UNAVAILABLE);
  EXPECT_NE(broken.message.find("wait_changes: the connection listening for changes broke"), std::string::npos)
      << broken.message;
  ASSERT_TRUE(a().apply(Group().insert(audit("p1", "opened"))).ok());
  Result again = a().wait_changes(0, 1'000, &last);
  ASSERT_TRUE(again.ok()) << again.message;
  EXPECT_EQ(last, 1);
}

TEST(StoreClusterSqlite, StoreSqliteServesOneHostAndSaysSo) {
  std::unique_ptr<Backend> backend = make_backend("sqlite");
  std::unique_ptr<StoreUnderTest> s = open_store(*backend);
  ASSERT_TRUE(s->migrate().ok());
  EXPECT_FALSE(s->serves_several_hosts());
  Result fence = s->apply(Group().insert(client("c1")).insert(Fence{.shard = 0, .owner = "a", .epoch = 1}));
  EXPECT_EQ(fence.status, VIGIL_INVALID_ARGUMENT);
  EXPECT_NE(fence.message.find("write 1: store-sqlite serves one host: it takes no FENCE write"), std::string::npos)
      << fence.message;
  EXPECT_NE(fence.message.find("use store-postgres"), std::string::npos) << fence.message;
  Result nonce = s->apply(Group().insert(Nonce{"d1", "n-1", 1, 2}));
  EXPECT_NE(nonce.message.find("write 0: store-sqlite serves one host: it takes no NONCE write"), std::string::npos)
      << nonce.message;
  EXPECT_TRUE(s->all<Client>().empty());
}

}  // namespace
}  // namespace vigil::test::store
