// StorePort's group commit: batches applied at the same time share one
// store transaction, each caller still gets its own outcome. The store is
// the memory store behind a gate that holds the first apply until the test
// opens it, so the batches applied meanwhile queue behind it.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/plugins/host_services.hpp"
#include "core/workflow/store_port.hpp"
#include "memory_store.hpp"

namespace vigil::test {
namespace {

// Holds every apply while closed.
struct Gate {
  std::mutex mutex;
  std::condition_variable opened;
  bool open = true;
  std::atomic<int> applies{0};
  void wait() {
    std::unique_lock lock(mutex);
    opened.wait(lock, [&] { return open; });
  }
  void set(bool now_open) {
    {
      std::lock_guard lock(mutex);
      open = now_open;
    }
    opened.notify_all();
  }
};
Gate gate;

vigil_status gated_apply(void* instance, const vigil_store_write* writes, size_t count, vigil_error* error) noexcept {
  ++gate.applies;
  gate.wait();
  return memory_store_vtable()->apply(instance, writes, count, error);
}

const vigil_store_vtable* gated_vtable() {
  static vigil_store_vtable table = [] {
    vigil_store_vtable t = *memory_store_vtable();
    t.apply = &gated_apply;
    return t;
  }();
  return &table;
}

class GroupCommit : public ::testing::Test {
 protected:
  GroupCommit()
      : host_("store-memory", metrics_, nullptr), store_(gated_vtable(), "store-memory", "{}", host_.table()) {
    core::ErrorBuffer error;
    int64_t version = 0;
    error.check(store_.vtable()->migrate(store_.instance(), &version, error.get()), "store-memory");
    gate.set(true);
    gate.applies = 0;
  }
  ~GroupCommit() override { gate.set(true); }
  MemoryStore& memory() { return *static_cast<MemoryStore*>(store_.instance()); }

  static core::WriteBatch client(const std::string& id) {
    core::WriteBatch batch;
    batch.insert(core::ClientRow{id, "name", 1}).audit(1, "client", id, "created");
    return batch;
  }

  // Applies each batch on its own thread while the gate holds the first
  // apply, then opens it; the status each caller got.
  std::vector<vigil_status> apply_together(const std::vector<core::WriteBatch>& batches) {
    gate.set(false);
    std::vector<vigil_status> statuses(batches.size(), VIGIL_INTERNAL);
    std::atomic<int> started{0};
    std::vector<std::thread> callers;
    for (size_t i = 0; i < batches.size(); ++i)
      callers.emplace_back([&, i] {
        ++started;
        try {
          port_.apply(batches[i]);
          statuses[i] = VIGIL_OK;
        } catch (const core::StoreError& e) {
          statuses[i] = e.status();
        }
      });
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while ((started < static_cast<int>(batches.size()) || gate.applies == 0) &&
           std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the others queue behind the held apply
    gate.set(true);
    for (auto& t : callers) t.join();
    return statuses;
  }

  core::Metrics metrics_;
  core::HostServices host_;
  core::Component<vigil_store_vtable> store_;
  core::StorePort port_{store_};
};

TEST_F(GroupCommit, BatchesAppliedTogetherShareTransactions) {
  std::vector<core::WriteBatch> batches;
  for (int i = 0; i < 16; ++i) batches.push_back(client("c" + std::to_string(i)));
  auto statuses = apply_together(batches);
  for (vigil_status s : statuses) EXPECT_EQ(s, VIGIL_OK);
  EXPECT_EQ(port_.query<core::ClientRow>().size(), 16u);
  EXPECT_EQ(port_.query<core::AuditRow>().size(), 16u);
  EXPECT_LE(memory().commits(), 3u) << "one held apply, then the queued batches together";
}

TEST_F(GroupCommit, OneBatchsConflictIsItsOwnAndTheOthersCommit) {
  port_.apply(client("taken"));
  auto statuses = apply_together({client("a"), client("taken"), client("b"), client("c")});
  EXPECT_EQ(statuses, (std::vector<vigil_status>{VIGIL_OK, VIGIL_CONFLICT, VIGIL_OK, VIGIL_OK}));
  EXPECT_EQ(port_.query<core::ClientRow>().size(), 4u);
  EXPECT_EQ(port_.query<core::AuditRow>().size(), 4u) << "the refused batch's audit row is not written";
}

TEST_F(GroupCommit, AnUnavailableStoreFailsEveryBatchOfTheTransaction) {
  port_.apply(client("first"));  // the next apply, held, is then a lone one
  memory().fail_next_apply();
  auto statuses = apply_together({client("a"), client("b"), client("c")});
  int unavailable = 0;
  for (vigil_status s : statuses) unavailable += s == VIGIL_UNAVAILABLE ? 1 : 0;
  // The held apply fails alone or with the others; a batch that was not in
  // the failed transaction commits.
  EXPECT_GE(unavailable, 1);
  EXPECT_EQ(port_.query<core::ClientRow>().size(), 1u + (3u - static_cast<size_t>(unavailable)));
}

}  // namespace
}  // namespace vigil::test
