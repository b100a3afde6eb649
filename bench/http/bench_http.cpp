// HTTP benchmark of a real vigild on loopback, driven by the example EA
// client (examples/ea-client: libcurl, the library's signer):
//   1. signed GET /api/v1/client/poll requests/s from N concurrent EAs, each
//      a thread on its own kept-alive connection (empty answers: an EA's
//      steady state; device ids taken in turn from a small pool, see
//      signed_poller.hpp), against a baseline on the same threads: unsigned
//      GET /healthz requests/s on as many connections. The ratio is the cost
//      of device auth (signing, HMAC, nonce, rate limit) and the workflow's
//      poll over a bare route. The two kinds alternate in R rounds at each
//      N (see measure()); every round's ratio is printed, and the median,
//      with the CPU time each request took in vigild and in this client.
//   2. breach-to-EA latency: an EA parked in GET /close-commands?wait=10,
//      the admin API's POST /ticks pushes a breaching price, the time until
//      the EA holds the close command; p50/p99 over B breaches.
// Usage: bench_http [--devices 1,4,16] [--seconds S] [--rounds R] [--breaches B] [--threads T]
//   S: seconds measured per kind at each N (default 5), split into R rounds (default 5).
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/http/signed_poller.hpp"
#include "bench/http/vigild_launcher.hpp"
#include "examples/ea-client/admin_api.hpp"
#include "examples/ea-client/ea_api.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using vigil::ea::AdminApi;
using vigil::ea::Credentials;
using vigil::ea::EaApi;

struct Settings {
  std::vector<int> devices = {1, 4, 16};
  int seconds = 5;  // per kind and connection count, split into `rounds`
  int rounds = 5;
  int breaches = 200;
  int threads = 4;
};

// True for a 200; the first other answer is printed, once.
bool report(const vigil::ea::HttpAnswer& answer) {
  static std::atomic<bool> printed{false};
  if (answer.status == 200) return true;
  if (!printed.exchange(true))
    std::fprintf(stderr, "bench_http: first failure: %ld %s%s\n", answer.status, answer.body.c_str(),
                 answer.error.c_str());
  return false;
}

double round_seconds(const Settings& settings) {
  return static_cast<double>(settings.seconds) / settings.rounds;
}

// CPU seconds (user and system, every thread) this process has used.
double own_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// The same for another process, from /proc/PID/stat (utime and stime, the
// 14th and 15th fields, in clock ticks); 0 when it cannot be read.
double cpu_seconds(pid_t pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  size_t name_end = text.rfind(')');  // the command name may hold spaces
  if (name_end == std::string::npos) return 0;
  std::istringstream fields(text.substr(name_end + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i)
    if (i >= 14) ticks += std::strtod(field.c_str(), nullptr);
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// One window of one kind: requests/s, and the CPU time each request took
// in vigild and in this client (microseconds), whatever share of the
// machine they had. The CPU per request does not vary with other
// processes' load as throughput does, so its ratio is the steadier figure.
struct Window {
  double rate = 0, server_us = 0, client_us = 0;
  double cpu_us() const { return server_us + client_us; }
};

// What a connection count measured, round by round.
struct Rounds {
  std::vector<Window> healthz, poll;
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t mid = values.size() / 2;
  return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

// n threads, each holding two kept-alive connections: one for unsigned
// GET /healthz, one for signed polls (a SignedPoller, signing every request
// with a fresh nonce). All threads send the same kind at a time; the kind
// alternates round by round, in the order healthz, poll, poll, healthz,
// healthz, ... (ABBA), so a load that drifts during the run weighs on both
// kinds alike, and each round's ratio compares two neighbouring windows.
// Only answers completed inside a window count for its kind; the first
// kSettle after a switch is not measured (requests of the other kind still
// in flight).
Rounds measure(const std::string& url, pid_t server, const std::vector<std::vector<Credentials>>& pools,
               const Settings& settings) {
  enum Kind { healthz = 0, poll = 1, stop = 2 };
  constexpr auto kWarmUp = std::chrono::milliseconds(500);
  constexpr auto kSettle = std::chrono::milliseconds(200);
  std::atomic<int> kind{healthz};
  std::array<std::atomic<long>, 2> good{}, bad{};
  std::vector<std::thread> threads;
  for (const std::vector<Credentials>& pool : pools) {
    threads.emplace_back([&url, &pool, &kind, &good, &bad] {
      vigil::ea::HttpSession bare(url);
      vigil::bench::SignedPoller poller(url, pool);
      for (int k = kind; k != stop; k = kind) {
        bool ok = k == healthz ? bare.request("GET", "/healthz", "", {}).status == 200 : report(poller.poll());
        ++(ok ? good : bad)[static_cast<size_t>(k)];
      }
    });
  }
  // Both connections of every thread are opened and used before measuring.
  std::this_thread::sleep_for(kWarmUp);
  kind = poll;
  std::this_thread::sleep_for(kWarmUp);
  auto window = [&](Kind k) {
    kind = k;
    std::this_thread::sleep_for(kSettle);
    long before = good[k];
    double server_before = cpu_seconds(server), client_before = own_cpu_seconds();
    auto start = Clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(round_seconds(settings)));
    long after = good[k];
    double server_after = cpu_seconds(server), client_after = own_cpu_seconds();
    auto count = static_cast<double>(std::max(1L, after - before));
    return Window{count / std::chrono::duration<double>(Clock::now() - start).count(),
                  (server_after - server_before) * 1e6 / count, (client_after - client_before) * 1e6 / count};
  };
  Rounds out;
  for (int r = 0; r < settings.rounds; ++r) {
    if (r % 2 == 0) {
      out.healthz.push_back(window(healthz));
      out.poll.push_back(window(poll));
    } else {
      out.poll.push_back(window(poll));
      out.healthz.push_back(window(healthz));
    }
  }
  kind = stop;
  for (auto& t : threads) t.join();
  if (bad[healthz] + bad[poll] > 0)
    std::fprintf(stderr, "bench_http: %ld healthz and %ld polls failed\n", bad[healthz].load(), bad[poll].load());
  return out;
}

// Device ids for `n` connections, 32 at the least (see signed_poller.hpp),
// fresh for each connection count.
std::vector<std::vector<Credentials>> device_pools(AdminApi& admin, const std::string& client, int n) {
  std::vector<std::vector<Credentials>> pools(static_cast<size_t>(n));
  for (int i = 0; i < std::max(n, 32); ++i)
    pools[static_cast<size_t>(i % n)].push_back(admin.create_device(client, "d" + std::to_string(i)));
  return pools;
}

void print_load(const char* when) {
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) == 3) std::printf("load average %s: %.2f %.2f %.2f\n", when, load[0], load[1], load[2]);
}

void bench_poll(const std::string& url, pid_t server, AdminApi& admin, const Settings& settings) {
  std::string client = admin.create_client("bench-poll");
  std::vector<std::string> summary;
  for (int n : settings.devices) {
    Rounds rounds = measure(url, server, device_pools(admin, client, n), settings);
    std::printf("%d connections, %d rounds of %.1f s per kind (healthz and poll alternating ABBA)\n", n,
                settings.rounds, round_seconds(settings));
    std::printf("  %-6s %14s %14s %8s %19s %19s %10s\n", "round", "healthz req/s", "poll req/s", "ratio",
                "healthz CPU us/req", "poll CPU us/req", "CPU ratio");
    std::vector<double> ratios, cpu_ratios;
    for (size_t r = 0; r < rounds.poll.size(); ++r) {
      const Window &h = rounds.healthz[r], &p = rounds.poll[r];
      ratios.push_back(p.rate / h.rate);
      cpu_ratios.push_back(h.cpu_us() / p.cpu_us());
      std::printf("  %-6zu %14.0f %14.0f %8.2f %8.1f (%4.1f+%4.1f) %8.1f (%4.1f+%4.1f) %10.2f\n", r + 1, h.rate, p.rate,
                  ratios.back(), h.cpu_us(), h.server_us, h.client_us, p.cpu_us(), p.server_us, p.client_us,
                  cpu_ratios.back());
    }
    auto field = [](const std::vector<Window>& windows, double Window::*member) {
      std::vector<double> out;
      for (const Window& w : windows) out.push_back(w.*member);
      return median(out);
    };
    auto [low, high] = std::minmax_element(ratios.begin(), ratios.end());
    char line[200];
    std::snprintf(line, sizeof line, "%-12d %14.0f %14.0f %8.2f %6.2f-%.2f %9.1f+%.1f %9.1f+%.1f %10.2f", n,
                  field(rounds.healthz, &Window::rate), field(rounds.poll, &Window::rate), median(ratios), *low, *high,
                  field(rounds.healthz, &Window::server_us), field(rounds.healthz, &Window::client_us),
                  field(rounds.poll, &Window::server_us), field(rounds.poll, &Window::client_us), median(cpu_ratios));
    summary.emplace_back(line);
  }
  std::printf("medians over the rounds (CPU: vigild+client microseconds per request; CPU ratio: healthz / poll)\n");
  std::printf("%-12s %14s %14s %8s %11s %14s %14s %10s\n", "connections", "healthz req/s", "poll req/s", "ratio",
              "range", "healthz CPU", "poll CPU", "CPU ratio");
  for (const std::string& line : summary) std::printf("%s\n", line.c_str());
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  size_t index = static_cast<size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[index];
}

// One position opened, delivered by a poll and acked by the EA, then breached while the EA waits.
// Returns milliseconds from the tick push to the EA holding the command.
double one_breach(AdminApi& admin, EaApi& ea, const std::string& client, double& push_ms) {
  admin.tick("EURUSD", "1.10000", "1.10002");  // neutral: the new position must not open breached
  nlohmann::json signal = admin.create_signal({{"client_id", client},
                                               {"instrument", "EURUSD"},
                                               {"side", "buy"},
                                               {"volume", "1"},
                                               {"entry_price", "1.10000"},
                                               {"owner_sl", "1.09000"}});
  std::string id = signal["positions"][0]["position_id"];
  // The contract acks only a position a poll has delivered (409 not_delivered otherwise).
  auto polled = ea.poll();
  if (!polled.ok()) throw std::runtime_error("poll: " + polled.describe());
  auto ack = ea.ack({{"position_id", id},
                     {"status", "executed"},
                     {"execution_id", "b-" + id},
                     {"broker_ticket", "1"},
                     {"actual_entry_price", "1.10000"},
                     {"filled_volume", "1"}});
  if (!ack.ok()) throw std::runtime_error("ack: " + ack.describe());
  Clock::time_point received;
  vigil::ea::ApiAnswer commands;
  std::thread waiter([&] {
    commands = ea.close_commands(10);
    received = Clock::now();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the request parks on a warm connection
  auto pushed = Clock::now();
  admin.tick("EURUSD", "1.08990", "1.08992");
  push_ms = std::chrono::duration<double, std::milli>(Clock::now() - pushed).count();
  waiter.join();
  if (!commands.ok() || commands.json["commands"].size() != 1 || commands.json["commands"][0]["position_id"] != id)
    throw std::runtime_error("close-commands: " + commands.describe() + " " + commands.body);
  std::string command = commands.json["commands"][0]["command_id"];
  auto done = ea.close_ack({{"command_id", command}, {"status", "executed"}, {"actual_close_price", "1.08990"}});
  if (!done.ok()) throw std::runtime_error("close-ack: " + done.describe());
  return std::chrono::duration<double, std::milli>(received - pushed).count();
}

void bench_breach(const std::string& url, AdminApi& admin, const Settings& settings) {
  std::string client = admin.create_client("bench-breach");
  EaApi ea(url, admin.create_device(client, "ea"));
  std::vector<double> latency, push;
  for (int i = 0; i < settings.breaches; ++i) {
    double push_ms = 0;
    latency.push_back(one_breach(admin, ea, client, push_ms));
    push.push_back(push_ms);
  }
  std::printf("breach-to-EA over %d breaches: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", settings.breaches,
              percentile(latency, 0.5), percentile(latency, 0.99), percentile(latency, 1.0));
  std::printf("POST /ticks round trip (same breaches): p50 %.2f ms, p99 %.2f ms\n", percentile(push, 0.5),
              percentile(push, 0.99));
}

int integer(const char* flag, const char* value, int low, int high) {
  char* end = nullptr;
  long out = std::strtol(value, &end, 10);
  if (*end != '\0' || out < low || out > high) {
    std::fprintf(stderr, "bench_http: %s: expected an integer from %d to %d\n", flag, low, high);
    std::exit(64);
  }
  return static_cast<int>(out);
}

Settings parse(int argc, char** argv) {
  Settings settings;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (i + 1 >= argc) {
      std::fprintf(stderr, "bench_http: %s: expects a value\n", flag.c_str());
      std::exit(64);
    }
    const char* value = argv[++i];
    if (flag == "--devices") {
      settings.devices.clear();
      std::istringstream list(value);
      for (std::string n; std::getline(list, n, ',');)
        settings.devices.push_back(integer("--devices", n.c_str(), 1, 256));
    } else if (flag == "--seconds") {
      settings.seconds = integer("--seconds", value, 1, 600);
    } else if (flag == "--rounds") {
      settings.rounds = integer("--rounds", value, 1, 100);
    } else if (flag == "--breaches") {
      settings.breaches = integer("--breaches", value, 1, 100000);
    } else if (flag == "--threads") {
      settings.threads = integer("--threads", value, 1, 64);
    } else {
      std::fprintf(stderr, "bench_http: %s: unknown flag\n", flag.c_str());
      std::exit(64);
    }
  }
  return settings;
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings = parse(argc, argv);
  vigil::ea::HttpSession::global_init();
  // The per-device rate limit (20/s by default) would measure the limiter,
  // not the server: raised for the benchmark.
  vigil::bench::VigildLauncher vigild("{listen: \"127.0.0.1:0\", threads: " + std::to_string(settings.threads) +
                                      ", device_requests_per_second: 100000, device_burst: 100000}");
  AdminApi admin(vigild.url(), vigil::bench::kAdminToken);
  std::printf("vigild %s, transport-http threads: %d, store-sqlite, %u hardware threads shared with this client\n",
              vigild.url().c_str(), settings.threads, std::thread::hardware_concurrency());
  print_load("at start");
  bench_poll(vigild.url(), vigild.pid(), admin, settings);
  bench_breach(vigild.url(), admin, settings);
  print_load("at end");
  return 0;
}
