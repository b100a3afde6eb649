// Close commands persisted per second and commit latency through the loaded
// store plugins (store-sqlite on a file, synchronous=FULL; store-postgres on
// a throwaway PostgreSQL 15 with fsync on). Each breach is what core writes
// when a stop is hit: the close command, the position moving to closing
// (a versioned update) and an audit row (hash-chained by the store).
//
// Baseline, same process, same records: one apply (one transaction, one
// durable commit) per breach. Against it, group commit: 64 or 256 breaches
// per apply, and 256 per apply from two threads at once (as core's shards
// would apply). Then breach-to-durable latency under offered loads (the
// targets' rates and lower ones, to find where p99 stays low): breaches
// "arrive" on a fixed schedule (open loop, so a slow commit delays the
// breaches behind it and that shows in the latency); the committer applies
// everything that has arrived, at most 256 breaches, as soon as the previous
// apply returns. Latency = apply returned - scheduled arrival. The floor
// under every durable commit is measured too, in the same run and on the
// same disk: a bare 4 KiB write and fdatasync.
//
// Usage: bench_store [--profile] [sqlite|postgres]...   (default: both)
// --profile: only the group-commit-256 run, its applies inside
// profiled_applies() (valgrind --tool=callgrind --collect-atstart=no
// --toggle-collect='*profiled_applies*').
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench_records.hpp"
#include "core/plugins/component.hpp"
#include "core/plugins/host_services.hpp"
#include "core/support/metrics.hpp"
#include "hosts/common/plugin_loader.hpp"
#include "throwaway_postgres.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using vigil::bench::Breaches;

double ms_since(Clock::time_point start, Clock::time_point end) {
  return std::chrono::duration<double, std::milli>(end - start).count();
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(p * static_cast<double>(values.size())))];
}

struct Throughput {
  double per_second = 0, p50_ms = 0, p99_ms = 0;
};

// The floor under any durable commit: a 4 KiB write and fdatasync of a
// file in `dir`, the machine's disk as it is during this run.
Throughput bare_fsync(const std::string& dir, int count) {
  std::string file = dir + "/fsync-baseline";
  int fd = open(file.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
  if (fd < 0) throw std::runtime_error("cannot open " + file);
  std::string page(4096, 'x');
  std::vector<double> latencies;
  auto start = Clock::now();
  for (int i = 0; i < count; ++i) {
    auto before = Clock::now();
    if (pwrite(fd, page.data(), page.size(), 0) != static_cast<ssize_t>(page.size()) || fdatasync(fd) != 0) {
      close(fd);
      throw std::runtime_error("write or fdatasync of " + file + " failed");
    }
    latencies.push_back(ms_since(before, Clock::now()));
  }
  close(fd);
  double seconds = ms_since(start, Clock::now()) / 1000;
  return {count / seconds, percentile(latencies, 0.5), percentile(latencies, 0.99)};
}

// One store plugin loaded and one store created and migrated.
class LoadedStore {
 public:
  LoadedStore(const std::string& plugin, const std::string& options)
      : plugin_(vigil::host::load_plugin(std::string(VIGIL_PLUGIN_DIR) + "/" + plugin + ".so")),
        services_(plugin, metrics_, nullptr),
        store_(static_cast<const vigil_store_vtable*>(plugin_.vtable(VIGIL_KIND_STORE)), plugin, options,
               services_.table()) {
    vigil::core::ErrorBuffer error;
    int64_t version = 0;
    error.check(store_.vtable()->migrate(store_.instance(), &version, error.get()), plugin);
  }
  void apply(const std::vector<vigil_store_write>& writes) const {
    vigil::core::ErrorBuffer error;
    error.check(store_.vtable()->apply(store_.instance(), writes.data(), writes.size(), error.get()), store_.name());
  }

 private:
  vigil::host::LoadedPlugin plugin_;
  vigil::core::Metrics metrics_;
  vigil::core::HostServices services_;
  vigil::core::Component<vigil_store_vtable> store_;
};

// Where each scenario gets a fresh, empty database.
class Backend {
 public:
  explicit Backend(std::string kind) : kind_(std::move(kind)) {
    if (kind_ == "postgres") postgres_ = std::make_unique<vigil::bench::ThrowawayPostgres>();
    char pattern[] = "/tmp/vigil-bench-store-XXXXXX";
    dir_ = mkdtemp(pattern);
  }
  ~Backend() { std::filesystem::remove_all(dir_); }
  const std::string& kind() const { return kind_; }
  const std::string& dir() const { return dir_; }

  std::unique_ptr<LoadedStore> fresh_store(const Breaches& breaches) {
    std::string name = "b" + std::to_string(++databases_);
    auto store = kind_ == "postgres"
                     ? std::make_unique<LoadedStore>("store-postgres",
                                                     R"({"dsn": ")" + postgres_->create_database(name) + R"("})")
                     : std::make_unique<LoadedStore>("store-sqlite", R"({"path": ")" + dir_ + "/" + name + R"(.db"})");
    for (const auto& group : breaches.setup(2000)) store->apply(group);
    return store;
  }

 private:
  std::string kind_;
  std::unique_ptr<vigil::bench::ThrowawayPostgres> postgres_;
  std::string dir_;
  int databases_ = 0;
};

// Applies `count` breaches, `group` per apply, back to back: the measured
// part of run_groups, named so a profiler can collect only it.
[[gnu::noinline]] void profiled_applies(const LoadedStore& store, const Breaches& breaches, size_t first, size_t count,
                                        size_t group, size_t stride, std::vector<double>& latencies) {
  for (; first < count; first += stride) {
    auto writes = breaches.writes(first, std::min(group, count - first));
    auto before = Clock::now();
    store.apply(writes);
    latencies.push_back(ms_since(before, Clock::now()));
  }
}

// Applies `count` breaches, `group` per apply, back to back.
Throughput run_groups(Backend& backend, size_t count, size_t group, size_t appliers = 1) {
  Breaches breaches(count);
  auto store = backend.fresh_store(breaches);
  std::vector<std::vector<double>> latencies(appliers);
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (size_t a = 0; a < appliers; ++a)
    threads.emplace_back(
        [&, a] { profiled_applies(*store, breaches, a * group, count, group, appliers * group, latencies[a]); });
  for (auto& t : threads) t.join();
  double seconds = ms_since(start, Clock::now()) / 1000;
  std::vector<double> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  return {static_cast<double>(count) / seconds, percentile(all, 0.5), percentile(all, 0.99)};
}

struct Offered {
  double achieved_per_second = 0, p50_ms = 0, p99_ms = 0, max_ms = 0, mean_group = 0;
};

// Breaches arrive at `rate` per second for `seconds`; see the file comment.
Offered run_offered(Backend& backend, double rate, double seconds, size_t max_group) {
  size_t count = static_cast<size_t>(rate * seconds);
  Breaches breaches(count);
  auto store = backend.fresh_store(breaches);
  std::vector<double> latencies;
  latencies.reserve(count);
  size_t done = 0, groups = 0;
  auto start = Clock::now();
  while (done < count) {
    auto arrived = std::min(count, static_cast<size_t>(ms_since(start, Clock::now()) / 1000 * rate));
    if (arrived == done) {
      std::this_thread::sleep_for(std::chrono::microseconds(20));
      continue;
    }
    size_t take = std::min(arrived - done, max_group);
    store->apply(breaches.writes(done, take));
    double now_ms = ms_since(start, Clock::now());
    for (size_t i = done; i < done + take; ++i) latencies.push_back(now_ms - 1000.0 * static_cast<double>(i) / rate);
    done += take;
    ++groups;
  }
  double elapsed = ms_since(start, Clock::now()) / 1000;
  return {static_cast<double>(count) / elapsed, percentile(latencies, 0.5), percentile(latencies, 0.99),
          percentile(latencies, 1.0), static_cast<double>(count) / static_cast<double>(groups)};
}

void bench(Backend& backend, size_t single_count, size_t group_count, const std::vector<double>& offered_rates) {
  const char* kind = backend.kind().c_str();
  Throughput disk = bare_fsync(backend.dir(), 500);
  std::printf("%-8s %-22s %8d %12.0f %10.3f %10.3f %8s\n", kind, "bare write+fdatasync", 500, disk.per_second,
              disk.p50_ms, disk.p99_ms, "-");
  Throughput one = run_groups(backend, single_count, 1);
  std::printf("%-8s %-22s %8zu %12.0f %10.3f %10.3f %8s\n", kind, "one apply per breach", single_count, one.per_second,
              one.p50_ms, one.p99_ms, "1.0x");
  for (size_t group : {64, 256}) {
    Throughput t = run_groups(backend, group_count, group);
    std::string mode = "group commit " + std::to_string(group);
    std::printf("%-8s %-22s %8zu %12.0f %10.3f %10.3f %7.1fx\n", kind, mode.c_str(), group_count, t.per_second,
                t.p50_ms, t.p99_ms, t.per_second / one.per_second);
    std::fflush(stdout);
  }
  Throughput two = run_groups(backend, group_count, 256, 2);
  std::printf("%-8s %-22s %8zu %12.0f %10.3f %10.3f %7.1fx\n", kind, "group 256, 2 appliers", group_count,
              two.per_second, two.p50_ms, two.p99_ms, two.per_second / one.per_second);
  for (double rate : offered_rates) {
    Offered o = run_offered(backend, rate, 2.0, 256);
    std::printf(
        "%-8s offered %6.0f/s for 2 s: achieved %6.0f/s, mean group %5.1f, breach-to-durable "
        "p50 %8.3f ms, p99 %8.3f ms, max %8.3f ms\n",
        kind, rate, o.achieved_per_second, o.mean_group, o.p50_ms, o.p99_ms, o.max_ms);
    std::fflush(stdout);
  }
}

// One group-commit-256 run, for a profiler (see the file comment).
void profile_groups(Backend& backend) {
  Throughput t = run_groups(backend, 256 * 40, 256);
  std::printf("%-8s %-22s %8d %12.0f %10.3f %10.3f %8s\n", backend.kind().c_str(), "group commit 256", 256 * 40,
              t.per_second, t.p50_ms, t.p99_ms, "-");
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> kinds(argv + 1, argv + argc);
  bool profile = !kinds.empty() && kinds.front() == "--profile";
  if (profile) kinds.erase(kinds.begin());
  if (kinds.empty()) kinds = {"sqlite", "postgres"};
  std::printf("%-8s %-22s %8s %12s %10s %10s %8s\n", "store", "mode", "breaches", "breaches/s", "p50 ms", "p99 ms",
              "ratio");
  try {
    for (const std::string& kind : kinds) {
      if (kind != "sqlite" && kind != "postgres") {
        std::fprintf(stderr, "bench_store: unknown store '%s' (sqlite or postgres)\n", kind.c_str());
        return 64;
      }
      Backend backend(kind);
      if (profile)
        profile_groups(backend);
      else if (kind == "sqlite")
        bench(backend, 2000, 256 * 40, {5000, 20000, 50000});
      else
        bench(backend, 1000, 256 * 40, {2000, 5000, 10000, 20000});
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_store: %s\n", e.what());
    return 1;
  }
  return 0;
}
