// bench/workflow: EA operations through core::Workflow in process, on the
// real store-sqlite plugin in a temporary directory, as the book of live
// positions grows (issue #13: per-operation cost within 1.5x from 1,000 to
// 1,000,000 live positions, at most 1 KB per live position, 1,000,000
// positions recovered in at most 5 s).
//
// Per book size N: a child process (this binary's `seed` command) writes N
// open positions straight into a fresh store (seeded_book.hpp), so that
// nothing of the seeding stays in this process's heap. Then a Workflow
// over that store runs recover() (timed: the recovery figure), with RSS
// read before and after (after, and again after malloc_trim: the heap the
// recovery leaves mapped, and what is still in use). The engine link is
// inert (no engine): these figures are the workflow's and the store's.
// A timer thread calls maintain() every 200 ms, as vigild does.
//
// Then, for 1, 2 and 4 calling threads, three phases of a fixed duration
// each (not a fixed count: a slow design cannot make the run endless; a
// call started before the deadline is finished and counted):
//   idle poll        client.poll of devices that have open positions and
//                    nothing pending (an EA's steady state)
//   idle close_cmds  client.close_commands of the same devices (no command)
//   lifecycle        each thread on a device of its own: admin.create_signal
//                    -> client.poll (delivers the new position) -> client.ack
//                    (executed, a fresh broker ticket) -> admin.close_position
//                    -> client.close_commands (delivers the command) ->
//                    client.close_ack (executed). One position opens and one
//                    closes per cycle, so the book stays at N.
// Every call is timed alone. Printed: per-op mean and p50/p99, ops/s per
// phase, and the ratios that matter (absolute figures are context: the
// machine is shared): each op's mean cost at N against the same op at the
// smallest N of the run, same thread count; and throughput with 4 threads
// against 1.
//
// Usage: bench_workflow [--sizes 1000,100000] [--threads 1,2,4] [--seconds 3]
//                       [--sync full|normal]
//   VIGIL_BENCH_MILLION=1 adds 1,000,000 to the default sizes.
//   --sync: the store's synchronous mode (vigild's default, full: an fsync
//   per commit; normal leaves the per-op CPU cost more visible).
// bench_workflow seed --db FILE --positions N [--devices-out FILE]
//   Seeds a store (cipher-sodium with VIGIL_MASTER_KEY, synchronous=normal)
//   and writes "device_id client_id secret" lines to --devices-out.
#include <malloc.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench/workflow/bench_components.hpp"
#include "bench/workflow/seeded_book.hpp"
#include "core/plugins/component.hpp"
#include "core/plugins/host_services.hpp"
#include "core/support/metrics.hpp"
#include "core/workflow/api_error.hpp"
#include "core/workflow/workflow.hpp"
#include "core/workflow/workflow_api.hpp"
#include "hosts/common/plugin_loader.hpp"

extern char** environ;

namespace {

using namespace vigil;
using bench::Clock;
using bench::seconds_since;
using bench::unix_ms;

// A fixed key, so a run needs no setup; only used when none is set.
constexpr const char* kBenchMasterKey = "4242424242424242424242424242424242424242424242424242424242424242";

size_t rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

// The anonymous part of the RSS (the heap): RSS also counts the pages of
// the database file store-sqlite maps (mmap_size 1 GiB), which recovery
// reads whole and the kernel may drop at any time.
size_t anon_bytes() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("RssAnon:", 0) == 0) return std::stoul(line.substr(8)) * 1024;
  return 0;
}

std::vector<size_t> parse_list(const std::string& text) {
  std::vector<size_t> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) out.push_back(std::stoul(item));
  return out;
}

// store-sqlite on `db` at the given synchronous level, and the cipher.
bench::Components sqlite_components(const std::string& db, const std::string& synchronous) {
  return bench::Components("store-sqlite", nlohmann::json{{"path", db}, {"synchronous", synchronous}}.dump());
}

int seed_command(int argc, char** argv) {
  std::string db, devices_out;
  size_t positions = 0;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--db")
      db = argv[i + 1];
    else if (flag == "--positions")
      positions = std::stoul(argv[i + 1]);
    else if (flag == "--devices-out")
      devices_out = argv[i + 1];
    else
      throw std::invalid_argument("seed: unknown flag " + flag);
  }
  if (db.empty()) throw std::invalid_argument("seed: --db FILE is required");
  auto start = Clock::now();
  bench::Components components = sqlite_components(db, "normal");
  std::vector<bench::SeededDevice> devices = bench::seed_book(
      core::StorePort(components.store()), core::CipherPort(components.cipher()), positions, unix_ms());
  if (!devices_out.empty()) {
    std::ofstream out(devices_out);
    for (const auto& d : devices) out << d.id << ' ' << d.client_id << ' ' << d.secret << '\n';
  }
  std::printf("seeded %zu open positions on %zu devices in %.1f s\n", positions, devices.size(), seconds_since(start));
  return 0;
}

// Runs `seed` in a child process so that its heap is not this one's.
double seed_in_child(const std::string& db, size_t positions) {
  std::string count = std::to_string(positions);
  std::vector<std::string> args = {"/proc/self/exe", "seed", "--db", db, "--positions", count};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  auto start = Clock::now();
  pid_t pid = 0;
  if (posix_spawn(&pid, "/proc/self/exe", nullptr, nullptr, argv.data(), environ) != 0)
    throw std::runtime_error("cannot start the seeding process");
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("seeding failed");
  return seconds_since(start);
}

struct OpStats {
  std::vector<double> us;  // one sample per call
  void add(Clock::time_point start) {
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
  void merge(const OpStats& other) { us.insert(us.end(), other.us.begin(), other.us.end()); }
  double mean() const {
    double sum = 0;
    for (double v : us) sum += v;
    return us.empty() ? 0 : sum / static_cast<double>(us.size());
  }
  double percentile(double p) {
    if (us.empty()) return 0;
    std::sort(us.begin(), us.end());
    return us[std::min(us.size() - 1, static_cast<size_t>(p * static_cast<double>(us.size())))];
  }
};

// One phase's figures: op name -> samples, and the wall time.
struct Phase {
  std::map<std::string, OpStats> ops;
  double seconds = 0;
  uint64_t rounds = 0;  // calls (idle phases) or cycles (lifecycle)
};

core::JsonFields string_params(const char* name, const std::string& value) {
  core::JsonFields fields;
  fields[name] = core::JsonField{core::JsonField::Kind::string, value, value};
  return fields;
}

class Bench {
 public:
  Bench(core::Workflow& workflow, size_t devices) : workflow_(workflow), devices_(devices) {}

  // Each thread repeats `operation` on idle devices, round robin.
  Phase idle(const std::string& operation, const std::string& expected, size_t threads, double seconds) {
    return run(threads, seconds, [&](size_t t, Clock::time_point deadline, Phase& out) {
      size_t idle_devices = devices_ - bench::kMinDevices / 2;  // the first ones run lifecycles
      OpStats& stats = out.ops[operation];
      for (size_t k = t; Clock::now() < deadline; k += threads) {
        std::string device = bench::device_id(bench::kMinDevices / 2 + k % idle_devices);
        auto start = Clock::now();
        std::string answer = core::WorkflowApi(workflow_).call(operation, device, {}, "");
        stats.add(start);
        if (answer != expected) throw std::runtime_error(operation + " of an idle device answered " + answer);
        ++out.rounds;
      }
    });
  }

  Phase lifecycle(size_t threads, double seconds) {
    return run(threads, seconds, [&](size_t t, Clock::time_point deadline, Phase& out) {
      std::string device = bench::device_id(t), client = bench::client_id(t);
      auto timed = [&](const std::string& op, const std::string& principal, const core::JsonFields& params,
                       const std::string& body) {
        auto start = Clock::now();
        std::string answer = core::WorkflowApi(workflow_).call(op, principal, params, body);
        out.ops[op].add(start);
        return nlohmann::json::parse(answer);
      };
      for (uint64_t n = 0; Clock::now() < deadline; ++n) {
        std::string ticket = "W" + std::to_string(t) + "-" + std::to_string(n) + "-" + std::to_string(run_);
        nlohmann::json signal = timed("admin.create_signal", "", {},
                                      nlohmann::json{{"client_id", client},
                                                     {"instrument", "EURUSD"},
                                                     {"side", "buy"},
                                                     {"volume", "1"},
                                                     {"owner_sl", "0.50000"},
                                                     {"owner_tp", "2.00000"}}
                                          .dump());
        std::string position = signal.at("positions").at(0).at("position_id");
        nlohmann::json polled = timed("client.poll", device, {}, "");
        if (polled.at("positions").size() != 1) throw std::runtime_error("poll did not deliver the new position");
        timed("client.ack", device, {},
              nlohmann::json{{"position_id", position},
                             {"status", "executed"},
                             {"execution_id", "x" + ticket},
                             {"broker_ticket", ticket},
                             {"actual_entry_price", "1.10010"},
                             {"filled_volume", "1"}}
                  .dump());
        std::string command =
            timed("admin.close_position", "", string_params("position_id", position), "{}").at("command_id");
        if (timed("client.close_commands", device, {}, "").at("commands").size() != 1)
          throw std::runtime_error("close_commands did not deliver the command");
        nlohmann::json closed = timed("client.close_ack", device, {},
                                      nlohmann::json{{"command_id", command},
                                                     {"status", "executed"},
                                                     {"actual_close_price", "1.10000"},
                                                     {"broker_deal", "D" + ticket}}
                                          .dump());
        if (closed.at("position_state") != "closed") throw std::runtime_error("close_ack did not close");
        ++out.rounds;
      }
    });
  }

 private:
  template <class Body>
  Phase run(size_t threads, double seconds, Body body) {
    ++run_;
    std::vector<Phase> parts(threads);
    std::vector<std::exception_ptr> errors(threads);
    auto start = Clock::now();
    auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    std::vector<std::thread> pool;
    for (size_t t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        try {
          body(t, deadline, parts[t]);
        } catch (...) {
          errors[t] = std::current_exception();
        }
      });
    for (auto& th : pool) th.join();
    Phase out;
    out.seconds = seconds_since(start);
    for (size_t t = 0; t < threads; ++t) {
      if (errors[t]) std::rethrow_exception(errors[t]);
      out.rounds += parts[t].rounds;
      for (auto& [op, stats] : parts[t].ops) out.ops[op].merge(stats);
    }
    return out;
  }

  core::Workflow& workflow_;
  size_t devices_;
  uint64_t run_ = 0;
};

// maintain() every 200 ms on its own thread, as Application does; each
// call timed.
class Maintenance {
 public:
  explicit Maintenance(core::Workflow& workflow)
      : thread_([this, &workflow] {
          std::unique_lock lock(mutex_);
          while (!wake_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stopping_; })) {
            lock.unlock();
            auto start = Clock::now();
            workflow.maintain();
            stats_.add(start);
            lock.lock();
          }
        }) {}
  ~Maintenance() { stop(); }
  OpStats stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    return stats_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  OpStats stats_;
  std::thread thread_;
};

struct SizeResult {
  double seed_seconds = 0, recover_seconds = 0;
  size_t rss_before = 0, rss_after = 0, anon_before = 0, anon_trimmed = 0;
  OpStats maintain;
  std::map<size_t, std::map<std::string, Phase>> phases;  // threads -> phase name -> figures
};

const std::vector<std::pair<std::string, std::string>> kReported = {
    {"idle poll", "client.poll"},         {"idle close_cmds", "client.close_commands"},
    {"lifecycle", "client.ack"},          {"lifecycle", "client.close_commands"},
    {"lifecycle", "client.close_ack"},    {"lifecycle", "client.poll"},
    {"lifecycle", "admin.create_signal"}, {"lifecycle", "admin.close_position"}};

std::string label(const std::string& phase, const std::string& op) {
  if (phase == "idle poll") return "poll (idle)";
  if (phase == "idle close_cmds") return "close_commands (idle)";
  if (op == "client.poll") return "poll (delivers 1)";
  if (op == "client.close_commands") return "close_commands (delivers 1)";
  return op.substr(op.find('.') + 1);
}

SizeResult bench_size(size_t positions, const std::vector<size_t>& thread_counts, double seconds,
                      const std::string& synchronous) {
  SizeResult result;
  char pattern[] = "/tmp/vigil-bench-workflow-XXXXXX";
  std::string dir = mkdtemp(pattern);
  std::string db = dir + "/vigil.db";
  result.seed_seconds = seed_in_child(db, positions);
  {
    bench::Components components = sqlite_components(db, synchronous);
    core::Instruments instruments;
    instruments.add("EURUSD", 5);
    core::EngineLink inert = bench::inert_engine_link();
    malloc_trim(0);
    result.rss_before = rss_bytes();
    result.anon_before = anon_bytes();
    core::Workflow workflow(instruments, core::StorePort(components.store()), core::CipherPort(components.cipher()),
                            {"rule-sltp"}, inert, core::WorkflowOptions{}, unix_ms);
    auto start = Clock::now();
    workflow.recover();
    result.recover_seconds = seconds_since(start);
    result.rss_after = rss_bytes();
    malloc_trim(0);
    result.anon_trimmed = anon_bytes();
    std::fprintf(stderr, "%zu positions: seeded in %.1f s, recovered in %.2f s\n", positions, result.seed_seconds,
                 result.recover_seconds);

    Maintenance maintenance(workflow);
    Bench bench(workflow, bench::devices_for(positions));
    for (size_t threads : thread_counts) {
      auto& phases = result.phases[threads];
      phases["idle poll"] = bench.idle("client.poll", R"({"positions":[]})", threads, seconds);
      phases["idle close_cmds"] = bench.idle("client.close_commands", R"({"commands":[]})", threads, seconds);
      phases["lifecycle"] = bench.lifecycle(threads, seconds);
      std::fprintf(stderr, "%zu positions, %zu threads: done\n", positions, threads);
    }
    result.maintain = maintenance.stop();
  }
  std::filesystem::remove_all(dir);
  return result;
}

void print(std::map<size_t, SizeResult>& results, const std::vector<size_t>& thread_counts) {
  std::printf("\n%-10s %-8s %-28s %9s %10s %10s %10s %10s\n", "positions", "threads", "operation", "calls", "calls/s",
              "mean us", "p50 us", "p99 us");
  for (auto& [n, r] : results)
    for (auto& [threads, phases] : r.phases)
      for (const auto& [phase, op] : kReported) {
        OpStats& s = phases[phase].ops[op];
        std::printf("%-10zu %-8zu %-28s %9zu %10.0f %10.1f %10.1f %10.1f\n", n, threads, label(phase, op).c_str(),
                    s.us.size(), static_cast<double>(s.us.size()) / phases[phase].seconds, s.mean(), s.percentile(0.5),
                    s.percentile(0.99));
      }

  std::printf("\nrecovery and memory (in process: workflow + store, no engine)\n");
  std::printf("%-10s %10s %10s %12s %14s %16s %12s %12s\n", "positions", "seed s", "recover s", "recover/s",
              "RSS delta MB", "bytes/position", "anon, trimmed", "maintain ms");
  for (auto& [n, r] : results) {
    double delta = static_cast<double>(r.rss_after) - static_cast<double>(r.rss_before);
    double trimmed = static_cast<double>(r.anon_trimmed) - static_cast<double>(r.anon_before);
    std::printf("%-10zu %10.1f %10.2f %12.0f %14.1f %16.0f %12.0f %7.1f/%4.1f\n", n, r.seed_seconds, r.recover_seconds,
                static_cast<double>(n) / r.recover_seconds, delta / 1e6, delta / static_cast<double>(n),
                trimmed / static_cast<double>(n), r.maintain.mean() / 1000, r.maintain.percentile(1.0) / 1000);
  }
  std::printf("(maintain ms: mean/max of the 200 ms maintenance calls during the run)\n");

  size_t base = results.begin()->first;
  std::printf(
      "\nscale: cost per call at N / at %zu positions, same thread count, mean and p50 (mean/p50); "
      "target <= 1.5\n",
      base);
  std::printf("%-8s %-28s", "threads", "operation");
  for (auto& [n, r] : results) std::printf(" %14zu", n);
  std::printf("\n");
  for (size_t threads : thread_counts)
    for (const auto& [phase, op] : kReported) {
      std::printf("%-8zu %-28s", threads, label(phase, op).c_str());
      OpStats& at_base = results[base].phases[threads][phase].ops[op];
      for (auto& [n, r] : results) {
        OpStats& at_n = r.phases[threads][phase].ops[op];
        std::printf(" %6.2f/%6.2fx", at_n.mean() / at_base.mean(), at_n.percentile(0.5) / at_base.percentile(0.5));
      }
      std::printf("\n");
    }

  if (thread_counts.size() > 1) {
    size_t first = thread_counts.front(), last = thread_counts.back();
    std::printf("\nthreads: throughput with %zu threads / with %zu (2 cores: 2.0 is the ceiling)\n", last, first);
    std::printf("%-8s %-28s", "", "phase");
    for (auto& [n, r] : results) std::printf(" %10zu", n);
    std::printf("\n");
    for (const char* phase : {"idle poll", "idle close_cmds", "lifecycle"}) {
      std::printf("%-8s %-28s", "", phase);
      for (auto& [n, r] : results) {
        Phase& a = r.phases[first][phase];
        Phase& b = r.phases[last][phase];
        std::printf(" %9.2fx",
                    (static_cast<double>(b.rounds) / b.seconds) / (static_cast<double>(a.rounds) / a.seconds));
      }
      std::printf("\n");
    }
  }
}

int bench_command(int argc, char** argv) {
  std::vector<size_t> sizes = {1000, 100000};
  if (const char* million = std::getenv("VIGIL_BENCH_MILLION"); million && std::string(million) == "1")
    sizes.push_back(1000000);
  std::vector<size_t> thread_counts = {1, 2, 4};
  double seconds = 3;
  std::string synchronous = "full";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--sizes")
      sizes = parse_list(argv[i + 1]);
    else if (flag == "--threads")
      thread_counts = parse_list(argv[i + 1]);
    else if (flag == "--seconds")
      seconds = std::stod(argv[i + 1]);
    else if (flag == "--sync")
      synchronous = argv[i + 1];
    else
      throw std::invalid_argument("unknown flag " + flag);
  }
  if (sizes.empty() || thread_counts.empty()) throw std::invalid_argument("--sizes and --threads need values");
  for (size_t threads : thread_counts)  // each lifecycle thread has a device of its own
    if (threads < 1 || threads > bench::kMinDevices / 2)
      throw std::invalid_argument("--threads: from 1 to " + std::to_string(bench::kMinDevices / 2));
  std::printf("bench_workflow: store-sqlite (synchronous=%s), %.1f s per phase, %u hardware threads shared\n",
              synchronous.c_str(), seconds, std::thread::hardware_concurrency());
  std::map<size_t, SizeResult> results;
  for (size_t n : sizes) {
    auto start = Clock::now();
    results[n] = bench_size(n, thread_counts, seconds, synchronous);
    std::fprintf(stderr, "%zu positions: %.0f s in all\n", n, seconds_since(start));
  }
  print(results, thread_counts);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  setenv("VIGIL_MASTER_KEY", kBenchMasterKey, 0);
  try {
    if (argc > 1 && std::string(argv[1]) == "seed") return seed_command(argc, argv);
    return bench_command(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_workflow: %s\n", e.what());
    return 1;
  }
}
