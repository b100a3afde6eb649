// bench/workflow: the operator's lists (#16: "a 100-row page answers in at
// most 20 ms with 1,000,000 positions in the store, on both stores").
//
// For each store (store-sqlite on a file, store-postgres on a throwaway
// PostgreSQL 15) and each book size, the book is seeded straight into the
// store (seeded_book.hpp: open positions, 100 per device, one client per
// device), a Workflow recovers from it (which fills the read index), and
// each list is asked for 100 rows through WorkflowApi (JSON included), many
// times: the first page, a page from a cursor in the middle of the book, and
// pages filtered by state, device, client and instrument, close commands,
// clients and audit rows. It prints p50 and p99 per page, and the ratio of
// each p50 to the same page on the smallest book, measured in the same
// process: a list served from an index costs the same at any size.
//
//   bench_reads [--stores sqlite,postgres] [--sizes 1000,1000000] [--calls 300]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include <malloc.h>
#include <unistd.h>

#include "bench/store/throwaway_postgres.hpp"
#include "bench/workflow/bench_components.hpp"
#include "bench/workflow/seeded_book.hpp"
#include "core/plugins/component.hpp"
#include "core/plugins/host_services.hpp"
#include "core/support/metrics.hpp"
#include "core/workflow/workflow_api.hpp"
#include "hosts/common/plugin_loader.hpp"

namespace vigil {
namespace {

using bench::Clock;
using bench::Components;
using bench::seconds_since;
using bench::unix_ms;

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) out.push_back(item);
  return out;
}

struct Query {
  std::string label, operation;
  nlohmann::json query;
  std::map<std::string, std::string> path;
};

// The lists asked for on a book of `positions`.
std::vector<Query> queries(size_t positions) {
  size_t devices = bench::devices_for(positions);
  std::string middle_device = bench::device_id(devices / 2), middle_client = bench::client_id(devices / 2);
  char middle[48];
  std::snprintf(middle, sizeof middle, "pos_%032zx", positions / 2);
  return {
      {"positions, first page", "admin.list_positions", {{"limit", "100"}}, {}},
      {"positions, mid-book cursor", "admin.list_positions", {{"limit", "100"}, {"cursor", middle}}, {}},
      {"positions state=open", "admin.list_positions", {{"limit", "100"}, {"state", "open"}}, {}},
      {"positions state=closed (none)", "admin.list_positions", {{"limit", "100"}, {"state", "closed"}}, {}},
      {"positions device_id", "admin.list_positions", {{"limit", "100"}, {"device_id", middle_device}}, {}},
      {"positions client+instrument",
       "admin.list_positions",
       {{"limit", "100"}, {"client_id", middle_client}, {"instrument", "EURUSD"}},
       {}},
      {"positions instrument", "admin.list_positions", {{"limit", "100"}, {"instrument", "EURUSD"}}, {}},
      {"close-commands overdue", "admin.list_close_commands", {{"limit", "100"}, {"overdue", "true"}}, {}},
      {"clients", "admin.list_clients", {{"limit", "100"}}, {}},
      {"devices of a client", "admin.list_devices", {{"limit", "100"}}, {{"client_id", middle_client}}},
      {"audit", "admin.audit", {{"limit", "100"}}, {}},
  };
}

struct Timing {
  double p50_ms = 0, p99_ms = 0;
  size_t rows = 0;
};

Timing time_query(core::Workflow& workflow, const Query& q, size_t calls) {
  core::JsonFields params;
  params["query"].kind = core::JsonField::Kind::object;
  params["query"].value = q.query;
  for (const auto& [name, value] : q.path) params[name] = {core::JsonField::Kind::string, value, value};
  std::vector<double> ms;
  Timing t;
  for (size_t i = 0; i < calls; ++i) {
    auto start = Clock::now();
    std::string answer = core::WorkflowApi(workflow).call(q.operation, "admin", params, "");
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    if (i == 0) t.rows = nlohmann::json::parse(answer).at("items").size();
  }
  std::sort(ms.begin(), ms.end());
  t.p50_ms = ms[ms.size() / 2];
  t.p99_ms = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
  return t;
}

// The anonymous part of the RSS (the heap), as bench_workflow reads it.
size_t anon_bytes() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("RssAnon:", 0) == 0) return std::stoul(line.substr(8)) * 1024;
  return 0;
}

struct SizeRun {
  double seed_s = 0, recover_s = 0;
  double index_bytes_per_position = 0;  // a ReadIndex alone, loaded from the store
  std::vector<Timing> timings;
};

SizeRun run_size(const std::string& store, size_t positions, size_t calls, bench::ThrowawayPostgres* postgres) {
  SizeRun run;
  std::string dir =
      (std::filesystem::temp_directory_path() / ("vigil-bench-reads-" + std::to_string(getpid()))).string();
  std::filesystem::create_directories(dir);
  std::string options =
      store == "store-sqlite"
          ? nlohmann::json{{"path", dir + "/vigil.db"}, {"synchronous", "normal"}}.dump()
          : nlohmann::json{{"dsn", postgres->create_database("reads" + std::to_string(positions))}}.dump();
  {
    Components components(store, options);
    auto start = Clock::now();
    bench::seed_book(core::StorePort(components.store()), core::CipherPort(components.cipher()), positions, unix_ms());
    run.seed_s = seconds_since(start);
    {
      malloc_trim(0);
      size_t before = anon_bytes();
      core::ReadIndex index;
      index.load(core::StorePort(components.store()));
      run.index_bytes_per_position = static_cast<double>(anon_bytes() - before) / static_cast<double>(positions);
    }
    core::Instruments instruments;
    instruments.add("EURUSD", 5);
    core::EngineLink inert = bench::inert_engine_link();
    core::Workflow workflow(instruments, core::StorePort(components.store()), core::CipherPort(components.cipher()),
                            {"rule-sltp"}, inert, core::WorkflowOptions{}, unix_ms);
    start = Clock::now();
    workflow.recover();
    run.recover_s = seconds_since(start);
    // A few audited changes, so that the audit page has rows to answer.
    for (int i = 0; i < 150; ++i) workflow.create_client("bench client " + std::to_string(i));
    for (const Query& q : queries(positions)) run.timings.push_back(time_query(workflow, q, calls));
  }
  std::filesystem::remove_all(dir);
  return run;
}

int run(int argc, char** argv) {
  std::vector<std::string> stores{"sqlite", "postgres"};
  std::vector<size_t> sizes{1000, 1000000};
  size_t calls = 300;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--stores") {
      stores = split(value);
    } else if (flag == "--sizes") {
      sizes.clear();
      for (const std::string& s : split(value)) sizes.push_back(std::stoul(s));
    } else if (flag == "--calls") {
      calls = std::stoul(value);
    } else {
      throw std::invalid_argument("unknown flag " + flag + " (--stores, --sizes, --calls)");
    }
  }
  for (const std::string& name : stores) {
    std::string store = "store-" + name;
    std::unique_ptr<bench::ThrowawayPostgres> postgres;
    if (name == "postgres") postgres = std::make_unique<bench::ThrowawayPostgres>();
    std::vector<SizeRun> runs;
    for (size_t n : sizes) {
      runs.push_back(run_size(store, n, calls, postgres.get()));
      std::fprintf(stderr, "%s, %zu positions: seeded in %.1f s, recovered in %.1f s\n", store.c_str(), n,
                   runs.back().seed_s, runs.back().recover_s);
      std::printf("%s, %zu positions: recovery %.1f s; the read index alone: %.0f bytes per position\n", store.c_str(),
                  n, runs.back().recover_s, runs.back().index_bytes_per_position);
    }
    std::printf("\n%s: 100-row pages, %zu calls each; ratio = p50 / p50 at %zu positions\n", store.c_str(), calls,
                sizes.front());
    std::printf("%-32s %10s %6s %10s %10s %8s\n", "list", "positions", "rows", "p50 ms", "p99 ms", "ratio");
    std::vector<Query> labels = queries(sizes.front());
    for (size_t q = 0; q < labels.size(); ++q)
      for (size_t s = 0; s < sizes.size(); ++s) {
        const Timing& t = runs[s].timings[q];
        std::printf("%-32s %10zu %6zu %10.3f %10.3f %8.2f\n", labels[q].label.c_str(), sizes[s], t.rows, t.p50_ms,
                    t.p99_ms, t.p50_ms / runs[0].timings[q].p50_ms);
      }
  }
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
    std::fprintf(stderr, "bench_reads: %s\n", e.what());
    return 1;
  }
}
