#include "core/cluster/cluster.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "core/cluster/shard_map.hpp"

namespace vigil::core {
namespace {

ClusterStore checked(const Component<vigil_store_vtable>& store) {
  if (!ClusterStore::offered_by(store))
    throw std::invalid_argument(store.name() +
                                " serves one host only (it offers no heartbeat): several hosts need store-postgres");
  return ClusterStore(store);
}

}  // namespace

Cluster::Cluster(const Component<vigil_store_vtable>& store, ClusterOptions options, Workflow& workflow)
    : workflow_(workflow),
      keeper_(checked(store), options,
              {[this, shards = options.shards](int32_t shard) {
                 workflow_.take_over([&](const std::string& client) { return shard_of(client, shards) == shard; });
               },
               [this, shards = options.shards](int32_t shard) {
                 workflow_.give_up([&](const std::string& client) { return shard_of(client, shards) == shard; });
               }}),
      tail_(ClusterStore(store), StorePort(store),
            [this](const std::vector<AuditRow>& rows) { workflow_.follow(rows); }) {}

Cluster::~Cluster() { stop(); }

void Cluster::stop() {
  tail_.stop();
  keeper_.stop();
}

void Cluster::start(int64_t recovered_at_seq) {
  tail_.start(recovered_at_seq);
  keeper_.start();
}

std::string Cluster::health_json(bool& healthy) const {
  LeaseKeeper::Status s = keeper_.status();
  const ClusterOptions& o = keeper_.options();
  nlohmann::json out = {{"host_id", o.host_id},
                        {"shards", o.shards},
                        {"owned", s.owned},
                        {"lease_renewed_ms_ago", s.renewed_ms_ago},
                        {"takeovers", s.takeovers},
                        {"hosts_alive", s.hosts_alive},
                        {"changes_behind", tail_.behind()}};
  if (!s.last_error.empty()) {
    out["error"] = s.last_error;
    healthy = false;
  }
  return out.dump();
}

void Cluster::export_metrics(Metrics& metrics) const {
  LeaseKeeper::Status s = keeper_.status();
  metrics.set("vigil_cluster_owned_shards", static_cast<double>(s.owned.size()));
  metrics.set_counter("vigil_cluster_takeovers_total", static_cast<double>(s.takeovers));
  metrics.set("vigil_cluster_lease_renewed_seconds_ago", s.renewed_ms_ago < 0 ? -1 : s.renewed_ms_ago / 1000.0);
  metrics.set("vigil_cluster_hosts_alive", static_cast<double>(s.hosts_alive));
  metrics.set("vigil_cluster_changes_behind", static_cast<double>(tail_.behind()));
}

}  // namespace vigil::core
