// vigil cluster status [--config FILE] [--json]
//
// Who owns which shard of a cluster (several vigild on one store, the
// config's `cluster:` section), as the store's leases say by the
// database's clock: the store's heartbeat with an empty host id, which only
// reads (vigil/store.h). It is the one view of every host at once: each
// host's /healthz knows only itself.
//   exit 0: the leases and hosts printed
//   exit 2: the config has no cluster section, its store keeps no leases
//           (store-sqlite), or the store could not be loaded or read
// Like vigild at start, the store is migrated first (a store serves only at
// its latest version); a database without the schema is refused.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hosts/common/args.hpp"
#include "hosts/vigil/command_config.hpp"
#include "hosts/vigil/command_help.hpp"
#include "hosts/vigil/commands.hpp"
#include "hosts/vigil/store_session.hpp"
#include "vigil/cpp/error.hpp"

namespace vigil::cli {
namespace {

constexpr CommandHelp kHelp{"vigil cluster", "usage: vigil cluster status [--config FILE] [--json]\n",
                            "status prints who owns each shard of the cluster the config's cluster: section\n"
                            "describes, read from the store's leases by the database's clock: one line per\n"
                            "shard (shard, owner, epoch, expires in, held for) and one per host that ever\n"
                            "kept leases (id, address, seen ago). An owner whose lease expired is shown\n"
                            "with \"expired\": another host takes the shard at its next heartbeat. The\n"
                            "schema is migrated first, as vigild does at start; nothing else is written.\n\n"
                            "options:\n"
                            "  --config FILE      the config of any host of the cluster (default: vigild's\n"
                            "                     embedded default, which has no cluster: section)\n"
                            "  --json             one JSON document: {\"shards\", \"leases\": [{\"shard\",\n"
                            "                     \"owner\", \"epoch\", \"expires_in_ms\", \"held_for_ms\"}],\n"
                            "                     \"hosts\": [{\"id\", \"address\", \"seen_ms_ago\"}]}\n"
                            "  --help, -h         this help\n\n"
                            "exit codes: 0 printed, 2 the config has no cluster: section, its store keeps\n"
                            "no leases (store-sqlite serves one host) or could not be loaded or read, 64\n"
                            "bad usage\n"};

struct Lease {
  int32_t shard = 0;
  std::string owner;
  int64_t epoch = 0, expires_in_ms = 0, held_for_ms = 0;
};

struct Host {
  std::string id, address;
  int64_t seen_ms_ago = 0;
};

struct ClusterView {
  std::vector<Lease> leases;
  std::vector<Host> hosts;
};

vigil_status on_record(void* ctx, int32_t entity, const void* record) {
  auto& view = *static_cast<ClusterView*>(ctx);
  if (entity == VIGIL_ENTITY_LEASE) {
    const auto& l = *static_cast<const vigil_store_lease*>(record);
    view.leases.push_back({l.shard, std::string(sdk::view(l.owner)), l.epoch, l.expires_in_ms, l.held_for_ms});
  } else if (entity == VIGIL_ENTITY_HOST) {
    const auto& h = *static_cast<const vigil_store_host*>(record);
    view.hosts.push_back({std::string(sdk::view(h.id)), std::string(sdk::view(h.address)), h.seen_ms_ago});
  } else {
    return VIGIL_INTERNAL;
  }
  return VIGIL_OK;
}

// The leases and hosts, read by a heartbeat that claims nothing.
ClusterView read_cluster(const StoreSession& store, const host::ClusterConfig& cluster) {
  const vigil_store_vtable* vt = store.vtable();
  if (!VIGIL_HAS_FIELD(vt, vigil_store_vtable, heartbeat) || !vt->heartbeat)
    throw std::runtime_error(store.name() + " keeps no leases: it serves one host, not a cluster (use store-postgres)");
  vigil_store_heartbeat request{};
  request.struct_size = sizeof request;
  request.shard_count = cluster.shards;
  request.lease_ms = cluster.lease_ms;
  ClusterView view;
  vigil_store_visitor visitor{sizeof visitor, &view, &on_record};
  core::ErrorBuffer error;
  error.check(vt->heartbeat(store.instance(), &request, &visitor, error.get()), store.name());
  return view;
}

std::string seconds(int64_t ms) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(ms) / 1000.0);
  return text;
}

void print_text(const ClusterView& view, int shards) {
  std::printf("%d shards, %zu hosts\n\n", shards, view.hosts.size());
  std::printf("%-6s %-20s %-8s %-12s %s\n", "shard", "owner", "epoch", "expires in", "held for");
  for (const Lease& l : view.leases) {
    bool held = !l.owner.empty();
    std::printf("%-6d %-20s %-8lld %-12s %s\n", l.shard, held ? l.owner.c_str() : "-", static_cast<long long>(l.epoch),
                !held                  ? "-"
                : l.expires_in_ms <= 0 ? "expired"
                                       : seconds(l.expires_in_ms).c_str(),
                held ? seconds(l.held_for_ms).c_str() : "-");
  }
  std::printf("\n%-20s %-32s %s\n", "host", "address", "seen ago");
  for (const Host& h : view.hosts)
    std::printf("%-20s %-32s %s\n", h.id.c_str(), h.address.empty() ? "-" : h.address.c_str(),
                seconds(h.seen_ms_ago).c_str());
}

void print_json(const ClusterView& view, int shards) {
  nlohmann::json out{{"shards", shards}, {"leases", nlohmann::json::array()}, {"hosts", nlohmann::json::array()}};
  for (const Lease& l : view.leases)
    out["leases"].push_back({{"shard", l.shard},
                             {"owner", l.owner},
                             {"epoch", l.epoch},
                             {"expires_in_ms", l.expires_in_ms},
                             {"held_for_ms", l.held_for_ms}});
  for (const Host& h : view.hosts)
    out["hosts"].push_back({{"id", h.id}, {"address", h.address}, {"seen_ms_ago", h.seen_ms_ago}});
  std::printf("%s\n", out.dump().c_str());
}

int status(const host::Args& args) {
  host::Config config = command_config(args);
  if (!config.cluster) {
    std::fprintf(stderr, "vigil cluster: %s has no cluster: section: its host runs alone\n", config.file.c_str());
    return 2;
  }
  host::ClusterConfig cluster = *config.cluster;
  StoreSession store(std::move(config), false);
  store.migrate();
  ClusterView view = read_cluster(store, cluster);
  args.has("json") ? print_json(view, cluster.shards) : print_text(view, cluster.shards);
  return 0;
}

}  // namespace

int cluster_command(int argc, char** argv) {
  try {
    host::Args args(argc, argv, {"config"}, {"json"});
    if (args.wants_help()) return print_help(kHelp);
    if (args.positional().size() != 1 || args.positional()[0] != "status")
      throw host::UsageError("expected the subcommand status");
    return status(args);
  } catch (const host::UsageError& e) {
    return usage_error(kHelp, e.what(), 64);
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "vigil cluster: %s\n", e.what());
    return 2;
  }
}

}  // namespace vigil::cli
