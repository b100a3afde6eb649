#include "store_under_test.hpp"

namespace vigil::test::store {
namespace {

struct Visit {
  int32_t entity;
  size_t stop_after;
  const std::function<void(const void*)>& take;
  size_t seen = 0;
  std::string wrong_entity;

  static vigil_status on_record(void* ctx, int32_t entity, const void* record) {
    auto& self = *static_cast<Visit*>(ctx);
    if (entity != self.entity) self.wrong_entity = "visited entity " + std::to_string(entity);
    self.take(record);
    return self.stop_after && ++self.seen >= self.stop_after ? VIGIL_CONFLICT : VIGIL_OK;
  }
};

}  // namespace

StoreUnderTest::StoreUnderTest(const std::string& plugin, const std::string& options_json)
    : harness_(plugin), store_(harness_.create<vigil_store_vtable>(VIGIL_KIND_STORE, options_json)) {}

Result StoreUnderTest::migrate(int64_t* version) {
  core::ErrorBuffer error;
  int64_t reached = -1;
  vigil_status status = store_.vtable()->migrate(store_.instance(), &reached, error.get());
  if (version) *version = reached;
  return {status, error.text};
}

Result StoreUnderTest::apply(const vigil_store_write* writes, size_t count) {
  core::ErrorBuffer error;
  vigil_status status = store_.vtable()->apply(store_.instance(), writes, count, error.get());
  return {status, error.text};
}

Result StoreUnderTest::run_query(int32_t entity, const Query& q, size_t stop_after,
                                 const std::function<void(const void*)>& take) {
  vigil_store_query query{sizeof(vigil_store_query), entity, s(q.id), s(q.owner), s(q.states), q.after_seq, q.limit};
  Visit visit{entity, stop_after, take, 0, {}};
  vigil_store_visitor visitor{sizeof(vigil_store_visitor), &visit, &Visit::on_record};
  core::ErrorBuffer error;
  vigil_status status = store_.vtable()->query(store_.instance(), &query, &visitor, error.get());
  if (!visit.wrong_entity.empty()) return {VIGIL_INTERNAL, visit.wrong_entity};
  return {status, error.text};
}

}  // namespace vigil::test::store
