// A store plugin loaded through the real loader, called through its vtable
// exactly as core will: groups of writes, queries with a visitor.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "records.hpp"
#include "tests/support/plugin_harness.hpp"

namespace vigil::test::store {

struct Result {
  vigil_status status = VIGIL_OK;
  std::string message{};
  bool ok() const { return status == VIGIL_OK; }
};

// One group of writes; owns the records its writes point to.
class Group {
 public:
  template <class T>
  Group& insert(const T& record) {
    return add(VIGIL_WRITE_INSERT, record);
  }
  template <class T>
  Group& update(const T& record) {
    return add(VIGIL_WRITE_UPDATE, record);
  }
  template <class T>
  Group& upsert(const T& record) {
    return add(VIGIL_WRITE_UPSERT, record);
  }
  const vigil_store_write* data() const { return writes_.data(); }
  size_t size() const { return writes_.size(); }

 private:
  template <class T>
  Group& add(int32_t op, const T& record) {
    auto owned = std::make_shared<T>(record);
    auto c = std::make_shared<typename T::C>(owned->c());
    keep_.push_back(owned);
    keep_.push_back(c);
    writes_.push_back({sizeof(vigil_store_write), T::entity, op, c.get()});
    return *this;
  }
  std::vector<std::shared_ptr<const void>> keep_;
  std::vector<vigil_store_write> writes_;
};

struct Query {
  std::string id{}, owner{}, states{};
  int64_t after_seq = 0, limit = 0;
};

// One heartbeat's request (store.h), with its defaults.
struct Heartbeat {
  std::string host_id{}, address{};
  int32_t shard_count = 4;
  int64_t lease_ms = 10'000;
  std::vector<int32_t> claim{}, release{};
};

// What one heartbeat answered.
struct Round {
  Result result{};
  std::vector<Lease> leases{};
  std::vector<HostSeen> hosts{};
  // The visited lease of `shard`; throws when it was not visited.
  const Lease& lease(int32_t shard) const;
};

class StoreUnderTest {
 public:
  // Throws core::ComponentError when create fails.
  StoreUnderTest(const std::string& plugin, const std::string& options_json);

  Result migrate(int64_t* version = nullptr);
  Result apply(const Group& group) { return apply(group.data(), group.size()); }
  Result apply(const vigil_store_write* writes, size_t count);

  // Visits with a copying visitor; `stop_after` > 0 makes the visitor answer
  // VIGIL_CONFLICT after that many records.
  template <class T>
  std::vector<T> query(const Query& q, Result* result = nullptr, size_t stop_after = 0) {
    std::vector<T> out;
    Result r = run_query(T::entity, q, stop_after, [&](const void* record) {
      out.push_back(T::from(*static_cast<const typename T::C*>(record)));
    });
    if (result) *result = r;
    return out;
  }
  template <class T>
  std::vector<T> all() {
    return query<T>({});
  }

  // ABI 1.3: whether the vtable offers heartbeat and wait_changes; when it
  // does not, both calls below answer VIGIL_UNSUPPORTED.
  bool serves_several_hosts() const;
  Round heartbeat(const Heartbeat& request);
  Result wait_changes(int64_t after_seq, int64_t timeout_ms, int64_t* last_seq);

 private:
  Result run_query(int32_t entity, const Query& q, size_t stop_after, const std::function<void(const void*)>& take);
  PluginHarness harness_;
  core::Component<vigil_store_vtable> store_;
};

}  // namespace vigil::test::store
