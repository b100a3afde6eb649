#include "store_under_test.hpp"

#include <stdexcept>

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

// Collects a heartbeat's leases and hosts; anything else is a store's bug.
struct RoundVisit {
  Round& round;
  static vigil_status on_record(void* ctx, int32_t entity, const void* record) {
    Round& r = static_cast<RoundVisit*>(ctx)->round;
    if (entity == VIGIL_ENTITY_LEASE)
      r.leases.push_back(Lease::from(*static_cast<const vigil_store_lease*>(record)));
    else if (entity == VIGIL_ENTITY_HOST)
      r.hosts.push_back(HostSeen::from(*static_cast<const vigil_store_host*>(record)));
    else
      return VIGIL_INTERNAL;
    return VIGIL_OK;
  }
};

}  // namespace

const Lease& Round::lease(int32_t shard) const {
  for (const Lease& l : leases)
    if (l.shard == shard) return l;
  throw std::runtime_error("the heartbeat visited no lease of shard " + std::to_string(shard) + " (" + result.message +
                           ")");
}

bool StoreUnderTest::serves_several_hosts() const {
  const vigil_store_vtable* v = store_.vtable();
  return VIGIL_HAS_FIELD(v, vigil_store_vtable, wait_changes) && v->heartbeat && v->wait_changes;
}

Round StoreUnderTest::heartbeat(const Heartbeat& h) {
  Round round;
  if (!serves_several_hosts()) {
    round.result = {VIGIL_UNSUPPORTED, "no heartbeat in this store's vtable"};
    return round;
  }
  vigil_store_heartbeat request{sizeof(vigil_store_heartbeat),
                                s(h.host_id),
                                s(h.address),
                                h.shard_count,
                                h.lease_ms,
                                h.claim.data(),
                                h.claim.size(),
                                h.release.data(),
                                h.release.size()};
  RoundVisit visit{round};
  vigil_store_visitor visitor{sizeof(vigil_store_visitor), &visit, &RoundVisit::on_record};
  core::ErrorBuffer error;
  vigil_status status = store_.vtable()->heartbeat(store_.instance(), &request, &visitor, error.get());
  round.result = {status, error.text};
  return round;
}

Result StoreUnderTest::wait_changes(int64_t after_seq, int64_t timeout_ms, int64_t* last_seq) {
  if (!serves_several_hosts()) return {VIGIL_UNSUPPORTED, "no wait_changes in this store's vtable"};
  core::ErrorBuffer error;
  vigil_status status = store_.vtable()->wait_changes(store_.instance(), after_seq, timeout_ms, last_seq, error.get());
  return {status, error.text};
}

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
