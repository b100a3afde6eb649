// bench/cluster: how long a host of a cluster (issue 15) needs to rebuild
// its books from PostgreSQL, and to take over a dead host's shards: the
// goal is a takeover within 5 s with 1,000,000 open positions.
//
// A throwaway PostgreSQL 15 (fsync on) is seeded straight through
// store-postgres (bench/workflow/seeded_book.hpp: open positions, 100 per
// device, one client per device), then ANALYZEd as autovacuum would be. A
// Workflow then starts as vigild's does on a cluster: recover() with an
// Ownership that holds no shard yet (the books are read, nothing is
// watched). Then take_over() of 3 shards of 16, what a survivor of three
// hosts takes when one dies (its books are already followed: only the
// shard's live rows are read again and watched), then of the other 13, as
// a host alone would. The engine link is inert, so the engines' own cost of
// watching is not in the figures. Prints each phase's wall time and this
// process's CPU time in it (the rest is PostgreSQL's).
//
//   bench_rebuild [--sizes 10000,1000000]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "bench/store/throwaway_postgres.hpp"
#include "bench/workflow/bench_components.hpp"
#include "bench/workflow/seeded_book.hpp"
#include "core/cluster/shard_map.hpp"
#include "core/plugins/component.hpp"
#include "core/plugins/host_services.hpp"
#include "core/support/metrics.hpp"
#include "core/workflow/workflow.hpp"
#include "hosts/common/plugin_loader.hpp"

namespace vigil {
namespace {

using bench::Clock;
using bench::seconds_since;
using bench::unix_ms;

// The default shard count, and a survivor's share of a dead host's (16/3/2).
constexpr int32_t kShards = 16, kSurvivorsShards = 3;

// This process's CPU time, user and system: the rest of a phase's wall
// time is spent waiting on PostgreSQL.
double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// No shard until `holding` is set, then every shard (the seeded book has no
// pending write, so the fence is never checked against the leases table).
class AllOrNothing : public core::Ownership {
 public:
  bool holding = false;
  std::optional<core::FenceRow> fence_of(const std::string&) const override {
    return holding ? std::optional<core::FenceRow>(core::FenceRow{0, "bench", 1}) : std::nullopt;
  }
};

void run_size(bench::ThrowawayPostgres& postgres, size_t positions) {
  std::string dsn = postgres.create_database("rebuild" + std::to_string(positions));
  bench::Components components("store-postgres", "{\"dsn\": \"" + dsn + "\"}");
  auto start = Clock::now();
  bench::seed_book(core::StorePort(components.store()), core::CipherPort(components.cipher()), positions, unix_ms());
  double seed_s = seconds_since(start);
  // Without statistics the planner reads a device's live positions through
  // a BitmapAnd of both indexes, scanning every live row per device.
  bench::ThrowawayPostgres::analyze(dsn);

  core::Instruments instruments;
  instruments.add("EURUSD", 5);
  core::EngineLink inert = bench::inert_engine_link();
  core::Workflow workflow(instruments, core::StorePort(components.store()), core::CipherPort(components.cipher()),
                          {"rule-sltp"}, inert, core::WorkflowOptions{}, unix_ms);
  AllOrNothing ownership;
  workflow.set_ownership(&ownership);
  start = Clock::now();
  double cpu = cpu_seconds();
  workflow.recover();
  double recover_s = seconds_since(start), recover_cpu = cpu_seconds() - cpu;
  ownership.holding = true;
  // What one survivor of three takes when a host dies: the dead host held
  // about a third of the shards, shared between the two left.
  auto in_survivors_part = [](const std::string& client_id) {
    return core::shard_of(client_id, kShards) < kSurvivorsShards;
  };
  start = Clock::now();
  cpu = cpu_seconds();
  workflow.take_over(in_survivors_part);
  double part_s = seconds_since(start), part_cpu = cpu_seconds() - cpu;
  start = Clock::now();
  cpu = cpu_seconds();
  workflow.take_over([&](const std::string& client_id) { return !in_survivors_part(client_id); });
  double rest_s = seconds_since(start), rest_cpu = cpu_seconds() - cpu;
  std::printf(
      "%zu open positions (%zu devices): seeded in %.1f s; recover %.2f s (this process's CPU %.2f s); "
      "take_over of %d shards of %d %.2f s (CPU %.2f s), of the other %d %.2f s (CPU %.2f s); "
      "a restart, recover and every shard: %.2f s\n",
      positions, bench::devices_for(positions), seed_s, recover_s, recover_cpu, kSurvivorsShards, kShards, part_s,
      part_cpu, kShards - kSurvivorsShards, rest_s, rest_cpu, recover_s + part_s + rest_s);
  std::fflush(stdout);
}

int run(int argc, char** argv) {
  std::vector<size_t> sizes{10000, 1000000};
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) != "--sizes") throw std::runtime_error(std::string("unknown option ") + argv[i]);
    sizes.clear();
    std::stringstream in(argv[i + 1]);
    for (std::string item; std::getline(in, item, ',');) sizes.push_back(std::stoul(item));
  }
  bench::ThrowawayPostgres postgres;
  for (size_t n : sizes) run_size(postgres, n);
  return 0;
}

}  // namespace
}  // namespace vigil

int main(int argc, char** argv) {
  // A throwaway master key for the throwaway store, unless one is given.
  setenv("VIGIL_MASTER_KEY", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", 0);
  try {
    return vigil::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_rebuild: %s\n", e.what());
    return 1;
  }
}
