// The fan-out benchmark (issue #14): a fleet of EAs parked at once in
// signed long-polls on one vigild with the default config's four transport
// threads, then one tick breaching every EA's position.
//   1. memory: vigild's RSS before and after the fleet parks, per wait;
//   2. idle cost: requests the fleet sends while nothing happens (only the
//      ends of waits, each parking again), per EA per second, over a window
//      longer than the wait;
//   3. fan-out: one POST /ticks breaching all positions; the time from the
//      tick's 202 until each EA holds its close command (p50, p99, max), and
//      that each EA got exactly its own.
// Setup (clients, devices, signals, polls and acks) goes through the
// example EA client on a few threads and is not measured.
// Usage: bench_fanout [--eas N] [--per-client P] [--wait S] [--idle-seconds I] [--threads T]
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "bench/http/parked_fleet.hpp"
#include "bench/http/vigild_launcher.hpp"
#include "examples/ea-client/admin_api.hpp"
#include "examples/ea-client/ea_api.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using vigil::bench::ParkedFleet;
using vigil::ea::AdminApi;
using vigil::ea::Credentials;
using vigil::ea::EaApi;

struct Settings {
  int eas = 10'000;
  int per_client = 100;  // devices of one client: one signal opens a position on each
  int wait = 30;         // seconds, the contract's longest
  int idle_seconds = 35;
  int threads = 4;  // the default config's
  int setup_threads = 8;
};

struct Ea {
  Credentials device;
  std::string position_id;
};

// Resident memory of a process in KiB, from /proc/PID/status.
long rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  return -1;
}

// Runs f(i) for i in [0, n) on `threads` threads, each with its own AdminApi.
template <class F>
void in_parallel(const std::string& url, int n, int threads, F f) {
  std::atomic<int> next{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      AdminApi admin(url, vigil::bench::kAdminToken);
      for (int i = next++; i < n; i = next++) f(admin, i);
    });
  for (auto& thread : pool) thread.join();
}

// `eas` devices in clients of `per_client`, each with an open position
// whose hidden stop is 1.09000.
std::vector<Ea> open_fleet(const std::string& url, const Settings& s) {
  int clients = (s.eas + s.per_client - 1) / s.per_client;
  std::vector<std::string> client_ids(static_cast<size_t>(clients));
  std::vector<Ea> fleet(static_cast<size_t>(s.eas));
  in_parallel(url, clients, s.setup_threads, [&](AdminApi& admin, int c) {
    client_ids[static_cast<size_t>(c)] = admin.create_client("fan-out-" + std::to_string(c));
  });
  in_parallel(url, s.eas, s.setup_threads, [&](AdminApi& admin, int i) {
    fleet[static_cast<size_t>(i)].device =
        admin.create_device(client_ids[static_cast<size_t>(i / s.per_client)], "ea" + std::to_string(i));
  });
  AdminApi(url, vigil::bench::kAdminToken).tick("EURUSD", "1.10000", "1.10002");
  in_parallel(url, clients, s.setup_threads, [&](AdminApi& admin, int c) {
    admin.create_signal({{"client_id", client_ids[static_cast<size_t>(c)]},
                         {"instrument", "EURUSD"},
                         {"side", "buy"},
                         {"volume", "1"},
                         {"owner_sl", "1.09000"}});
  });
  in_parallel(url, s.eas, s.setup_threads, [&](AdminApi&, int i) {
    Ea& ea = fleet[static_cast<size_t>(i)];
    EaApi api(url, ea.device);
    auto polled = api.poll();
    if (!polled.ok() || polled.json["positions"].size() != 1) throw std::runtime_error("poll: " + polled.describe());
    ea.position_id = polled.json["positions"][0]["position_id"];
    auto acked = api.ack({{"position_id", ea.position_id},
                          {"status", "executed"},
                          {"execution_id", "x-" + ea.position_id},
                          {"broker_ticket", std::to_string(i + 1)},
                          {"actual_entry_price", "1.10000"},
                          {"filled_volume", "1"}});
    if (!acked.ok()) throw std::runtime_error("ack: " + acked.describe());
  });
  return fleet;
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(p * static_cast<double>(values.size() - 1) + 0.5)];
}

void wait_until(const std::function<bool()>& done, std::chrono::seconds limit, const char* what) {
  auto deadline = Clock::now() + limit;
  while (!done()) {
    if (Clock::now() > deadline) throw std::runtime_error(std::string("timed out waiting for ") + what);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// Each EA's answer holds exactly its own position's command.
size_t wrong_answers(const std::vector<ParkedFleet::Delivery>& deliveries, const std::vector<Ea>& fleet) {
  std::unordered_map<std::string, std::string> position_of;
  for (const Ea& ea : fleet) position_of[ea.device.device_id] = ea.position_id;
  size_t wrong = 0;
  for (const auto& d : deliveries) {
    auto body = nlohmann::json::parse(d.body, nullptr, false);
    bool own = d.status == 200 && body.is_object() && body["commands"].size() == 1 &&
               body["commands"][0]["position_id"] == position_of[d.device_id];
    wrong += own ? 0 : 1;
  }
  return wrong;
}

void run(const Settings& s) {
  vigil::bench::VigildLauncher vigild("{listen: \"127.0.0.1:0\", threads: " + std::to_string(s.threads) + "}");
  std::string url = vigild.url();
  uint16_t port = static_cast<uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
  std::printf("vigild %s, transport-http threads: %d, store-sqlite; %d EAs in clients of %d, wait=%d\n", url.c_str(),
              s.threads, s.eas, s.per_client, s.wait);
  auto began = Clock::now();
  std::vector<Ea> fleet = open_fleet(url, s);
  std::printf("setup: %d positions open in %.1f s\n", s.eas,
              std::chrono::duration<double>(Clock::now() - began).count());

  std::vector<Credentials> devices;
  for (const Ea& ea : fleet) devices.push_back(ea.device);
  long rss_before = rss_kib(vigild.pid());
  ParkedFleet parked(port, devices, s.wait);
  parked.start();
  wait_until([&] { return parked.requests_sent() + parked.failed() >= fleet.size(); }, std::chrono::seconds(60),
             "the fleet to park");
  std::this_thread::sleep_for(std::chrono::seconds(2));  // every wait reached the server
  long rss_parked = rss_kib(vigild.pid());
  std::printf("memory: vigild RSS %ld KiB before, %ld KiB with %d parked waits: %.1f KiB per wait\n", rss_before,
              rss_parked, s.eas, static_cast<double>(rss_parked - rss_before) / s.eas);

  uint64_t sent_before_idle = parked.requests_sent();
  std::this_thread::sleep_for(std::chrono::seconds(s.idle_seconds));
  double idle_rate = static_cast<double>(parked.requests_sent() - sent_before_idle) / s.idle_seconds;
  std::printf("idle: %.0f requests/s from %d waiting EAs over %d s: %.4f per EA per second (failed: %zu)\n", idle_rate,
              s.eas, s.idle_seconds, idle_rate / s.eas, parked.failed());

  AdminApi admin(url, vigil::bench::kAdminToken);
  auto pushed = Clock::now();
  admin.tick("EURUSD", "1.08990", "1.08992");
  auto accepted = Clock::now();
  wait_until([&] { return parked.delivered() + parked.failed() >= fleet.size(); }, std::chrono::seconds(120),
             "every command");
  auto deliveries = parked.deliveries();
  std::vector<double> ms;
  for (const auto& d : deliveries)
    ms.push_back(std::chrono::duration<double, std::milli>(d.arrived_at - accepted).count());
  std::printf(
      "fan-out: POST /ticks took %.1f ms; %zu commands from the tick's 202: p50 %.0f ms, p99 %.0f ms, "
      "max %.0f ms; wrong answers: %zu, failed connections: %zu\n",
      std::chrono::duration<double, std::milli>(accepted - pushed).count(), deliveries.size(), percentile(ms, 0.5),
      percentile(ms, 0.99), percentile(ms, 1.0), wrong_answers(deliveries, fleet), parked.failed());
}

int integer(const char* flag, const char* value, int low, int high) {
  char* end = nullptr;
  long out = std::strtol(value, &end, 10);
  if (*end != '\0' || out < low || out > high) {
    std::fprintf(stderr, "bench_fanout: %s: expected an integer from %d to %d\n", flag, low, high);
    std::exit(64);
  }
  return static_cast<int>(out);
}

Settings parse(int argc, char** argv) {
  Settings s;
  for (int i = 1; i < argc; i += 2) {
    std::string flag = argv[i];
    if (i + 1 >= argc) {
      std::fprintf(stderr, "bench_fanout: %s: expects a value\n", flag.c_str());
      std::exit(64);
    }
    const char* value = argv[i + 1];
    if (flag == "--eas")
      s.eas = integer("--eas", value, 1, 100'000);
    else if (flag == "--per-client")
      s.per_client = integer("--per-client", value, 1, 100'000);
    else if (flag == "--wait")
      s.wait = integer("--wait", value, 1, 30);
    else if (flag == "--idle-seconds")
      s.idle_seconds = integer("--idle-seconds", value, 1, 600);
    else if (flag == "--threads")
      s.threads = integer("--threads", value, 1, 64);
    else {
      std::fprintf(stderr, "bench_fanout: %s: unknown flag\n", flag.c_str());
      std::exit(64);
    }
  }
  return s;
}

// Each EA needs a descriptor here and one in vigild (which inherits ours).
void raise_descriptor_limit(int eas) {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur < static_cast<rlim_t>(eas) + 1000) {
    std::fprintf(stderr, "bench_fanout: %d EAs need %d descriptors, the limit is %lu\n", eas, eas + 1000,
                 static_cast<unsigned long>(limit.rlim_cur));
    std::exit(69);
  }
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings = parse(argc, argv);
  raise_descriptor_limit(settings.eas);
  vigil::ea::HttpSession::global_init();
  try {
    run(settings);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_fanout: %s\n", e.what());
    return 1;
  }
  return 0;
}
