#include "core/cluster/cluster_store.hpp"

#include "vigil/cpp/error.hpp"

namespace vigil::core {
namespace {

std::string text(vigil_str s) {
  return std::string(sdk::view(s));
}

vigil_status take(void* ctx, int32_t entity, const void* record) noexcept {
  auto& view = *static_cast<ClusterView*>(ctx);
  try {
    if (entity == VIGIL_ENTITY_LEASE) {
      const auto& l = *static_cast<const vigil_store_lease*>(record);
      view.leases.push_back({l.shard, text(l.owner), l.epoch, l.expires_in_ms, l.held_for_ms});
    } else if (entity == VIGIL_ENTITY_HOST) {
      const auto& h = *static_cast<const vigil_store_host*>(record);
      view.hosts.push_back({text(h.id), text(h.address), h.seen_ms_ago});
    }
    return VIGIL_OK;
  } catch (...) {
    return VIGIL_INTERNAL;
  }
}

}  // namespace

bool ClusterStore::offered_by(const Component<vigil_store_vtable>& store) {
  const vigil_store_vtable* v = store.vtable();
  return VIGIL_HAS_FIELD(v, vigil_store_vtable, wait_changes) && v->heartbeat && v->wait_changes;
}

ClusterView ClusterStore::heartbeat(const HeartbeatRequest& r) const {
  vigil_store_heartbeat request{sizeof request, sdk::str(r.host_id), sdk::str(r.address), r.shards,        r.lease_ms,
                                r.claim.data(), r.claim.size(),      r.release.data(),    r.release.size()};
  ClusterView view;
  vigil_store_visitor visitor{sizeof visitor, &view, take};
  ErrorBuffer error;
  vigil_status status = store_->vtable()->heartbeat(store_->instance(), &request, &visitor, error.get());
  if (status != VIGIL_OK) throw StoreError(status, store_->name() + ": heartbeat: " + failure_text(status, error.text));
  return view;
}

int64_t ClusterStore::wait_changes(int64_t after_seq, int64_t timeout_ms) const {
  int64_t last = 0;
  ErrorBuffer error;
  vigil_status status = store_->vtable()->wait_changes(store_->instance(), after_seq, timeout_ms, &last, error.get());
  if (status != VIGIL_OK)
    throw StoreError(status, store_->name() + ": wait_changes: " + failure_text(status, error.text));
  return last;
}

}  // namespace vigil::core
