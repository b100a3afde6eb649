// The memory store's faults, which the conformance suite
// (memory_store_conformance_test) cannot show: an apply that fails with
// nothing written, and one that commits but answers unavailable; and its
// lease table, against which fenced groups are checked.
#include <gtest/gtest.h>

#include "core/plugins/host_services.hpp"
#include "core/workflow/store_port.hpp"
#include "memory_store.hpp"

namespace vigil::test {
namespace {

class MemoryStoreFaults : public ::testing::Test {
 protected:
  MemoryStoreFaults()
      : host_("store-memory", metrics_, nullptr), store_(memory_store_vtable(), "store-memory", "{}", host_.table()) {
    core::ErrorBuffer error;
    int64_t version = 0;
    error.check(store_.vtable()->migrate(store_.instance(), &version, error.get()), "store-memory");
  }
  MemoryStore& memory() { return *static_cast<MemoryStore*>(store_.instance()); }
  core::StorePort port() { return core::StorePort(store_); }
  static core::WriteBatch client(const std::string& id) {
    core::WriteBatch batch;
    batch.insert(core::ClientRow{id, "name", 1}).audit(1, "client", id, "created");
    return batch;
  }
  vigil_status apply_status(const core::WriteBatch& batch, const core::FenceRow* fence = nullptr) {
    try {
      port().apply(batch, fence);
      return VIGIL_OK;
    } catch (const core::StoreError& e) {
      last_error_ = e.what();
      return e.status();
    }
  }

  core::Metrics metrics_;
  core::HostServices host_;
  core::Component<vigil_store_vtable> store_;
  std::string last_error_;
};

TEST_F(MemoryStoreFaults, AFailedApplyWritesNothingAndTheNextOneCommits) {
  memory().fail_next_apply();
  EXPECT_EQ(apply_status(client("c1")), VIGIL_UNAVAILABLE);
  EXPECT_TRUE(port().query<core::ClientRow>().empty());
  EXPECT_TRUE(port().query<core::AuditRow>().empty());
  EXPECT_EQ(memory().commits(), 0u);
  EXPECT_EQ(apply_status(client("c1")), VIGIL_OK);
  EXPECT_EQ(port().query<core::ClientRow>().size(), 1u);
}

TEST_F(MemoryStoreFaults, ACommitInDoubtIsWrittenThoughItAnswersUnavailable) {
  memory().lose_next_commit_answer();
  EXPECT_EQ(apply_status(client("c1")), VIGIL_UNAVAILABLE);
  EXPECT_EQ(port().query<core::ClientRow>("c1").size(), 1u);
  EXPECT_EQ(port().query<core::AuditRow>().size(), 1u);
  EXPECT_EQ(memory().commits(), 1u);
  EXPECT_EQ(apply_status(client("c1")), VIGIL_CONFLICT) << "the row is there: a retry is a duplicate";
}

TEST_F(MemoryStoreFaults, ALostAnswerIsNotSpentOnAGroupThatIsRefused) {
  memory().lose_next_commit_answer();
  ASSERT_EQ(apply_status(client("c1")), VIGIL_UNAVAILABLE);
  memory().lose_next_commit_answer();
  EXPECT_EQ(apply_status(client("c1")), VIGIL_CONFLICT);
  EXPECT_EQ(apply_status(client("c2")), VIGIL_UNAVAILABLE);
  EXPECT_EQ(port().query<core::ClientRow>().size(), 2u);
}

TEST_F(MemoryStoreFaults, FailingQueriesAnswerUnavailableUntilTheyAreBack) {
  ASSERT_EQ(apply_status(client("c1")), VIGIL_OK);
  memory().fail_queries(true);
  try {
    port().query<core::ClientRow>();
    ADD_FAILURE() << "the query was answered";
  } catch (const core::StoreError& e) {
    EXPECT_EQ(e.status(), VIGIL_UNAVAILABLE);
  }
  memory().fail_queries(false);
  EXPECT_EQ(port().query<core::ClientRow>().size(), 1u);
}

TEST_F(MemoryStoreFaults, TwoInstancesNamingOneDatabaseShareIt) {
  core::Component<vigil_store_vtable> a(memory_store_vtable(), "a", R"({"database":"shared-by-a-and-b"})",
                                        host_.table());
  core::Component<vigil_store_vtable> b(memory_store_vtable(), "b", R"({"database":"shared-by-a-and-b"})",
                                        host_.table());
  core::ErrorBuffer error;
  int64_t version = 0;
  error.check(a.vtable()->migrate(a.instance(), &version, error.get()), "a");
  EXPECT_EQ(version, kMemoryStoreSchemaVersion);
  core::StorePort(a).apply(client("c1"));
  EXPECT_EQ(core::StorePort(b).query<core::ClientRow>().size(), 1u);
  EXPECT_TRUE(port().query<core::ClientRow>().empty()) << "an instance without a name has a database of its own";
}

TEST_F(MemoryStoreFaults, AFencedGroupCommitsOnlyWhileItsLeaseStands) {
  core::FenceRow fence{2, "a", 1};
  EXPECT_EQ(apply_status(client("c0"), &fence), VIGIL_CONFLICT);
  EXPECT_NE(last_error_.find("the database has no such shard"), std::string::npos) << last_error_;
  memory().set_lease(2, "a", 1);
  EXPECT_EQ(apply_status(client("c1"), &fence), VIGIL_OK);
  memory().set_lease(2, "b", 2);
  EXPECT_EQ(apply_status(client("c2"), &fence), VIGIL_CONFLICT);
  EXPECT_NE(last_error_.find("fenced: shard 2 is no longer held by host a at epoch 1 (host b at epoch 2 holds it)"),
            std::string::npos)
      << last_error_;
  EXPECT_EQ(port().query<core::ClientRow>().size(), 1u) << "a fenced-out group writes nothing";
  EXPECT_EQ(port().query<core::AuditRow>().size(), 1u);
  EXPECT_EQ(memory().commits(), 1u);
  EXPECT_EQ(memory().fences_committed(), (std::vector<MemoryStore::Fence>{{2, "a", 1}}));
  EXPECT_EQ(apply_status(client("c3")), VIGIL_OK) << "an unfenced group does not look at the leases";
}

}  // namespace
}  // namespace vigil::test
