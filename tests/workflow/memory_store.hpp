// A store plugin held in memory, for tests of what sits above the store
// (the workflow): the semantics of store.h as store-sqlite implements them,
// without a file or a database server. It reuses the stores' shared code
// (plugins/store-sqlite/shared: the checks of writes and queries, the apply
// order, the error texts and the audit hash), so it refuses what they refuse
// with their words; the rest, which the SQL does in the real stores, is
// here: a group all or nothing, optimistic versions, foreign keys, the one
// live close command per position, CHECKs, audit seq and chain, the query
// filters and order. tests/workflow runs tests/store's conformance suite on
// it (memory_store_conformance_test).
//
// Faults for tests, each armed once and fired by the next apply: the apply
// fails as VIGIL_UNAVAILABLE with nothing written, or it commits and then
// answers VIGIL_UNAVAILABLE (a COMMIT whose answer was lost). Queries can be
// made to fail as unavailable until told otherwise.
//
// Hosts sharing one store (ABI 1.3's FENCE writes, store.h): the test sets
// a lease table (shard -> owner, epoch); a group carrying a fence commits
// only while the table holds that shard for that owner at that epoch, else
// it fails as VIGIL_CONFLICT with nothing written. The table has no clock
// (a lease stands until the test sets it again). NONCE writes are refused:
// the workflow's tests sign no request.
//
// Options: {} for a database of its own; {"database": "NAME"} to share one
// with every other instance naming NAME in this process (several instances
// on one database, as the real stores' tests open them).
//
// Threading: apply and query may be called concurrently; one mutex per
// database serialises them. The fault setters may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "vigil/sdk.hpp"

namespace vigil::test {

class MemoryDatabase;

class MemoryStore final : public sdk::Store {
 public:
  explicit MemoryStore(const sdk::CreateArgs& args);
  ~MemoryStore() override;

  int64_t migrate() override;
  void apply(const vigil_store_write* writes, size_t count) override;
  void query(const vigil_store_query& query, const vigil_store_visitor& visitor) override;

  // The next apply fails as unavailable and writes nothing.
  void fail_next_apply();
  // The next apply that would commit commits, then answers unavailable.
  void lose_next_commit_answer();
  // While true, every query fails as unavailable.
  void fail_queries(bool failing);
  // Whether an apply fault is armed and has not fired yet.
  bool fault_armed() const;
  // Groups committed so far (also those whose answer was lost).
  uint64_t commits() const;

  // A shard's lease as the fences are checked against: held by `owner` at
  // `epoch` from now on.
  void set_lease(int32_t shard, const std::string& owner, int64_t epoch);
  struct Fence {
    int32_t shard = 0;
    std::string owner;
    int64_t epoch = 0;
    bool operator==(const Fence&) const = default;
  };
  // The fences of every group committed so far, in commit order.
  std::vector<Fence> fences_committed() const;

 private:
  std::shared_ptr<MemoryDatabase> database_;
};

// The store's vtable, for a core::Component built in-process (no loader).
const vigil_store_vtable* memory_store_vtable();

// The schema version migrate reports: store-sqlite's latest.
inline constexpr int64_t kMemoryStoreSchemaVersion = VIGIL_MEMORY_STORE_SCHEMA_VERSION;

}  // namespace vigil::test
