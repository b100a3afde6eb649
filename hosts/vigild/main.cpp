// vigild — the Vigil host daemon. See CONTRACT.md section 4.
//
//   vigild [--config FILE] [--plugin PATH]... [--listen HOST:PORT] [--data-dir DIR]
//
// Loads and validates everything before serving; runs until SIGTERM or
// SIGINT, then stops feeds, the transport and the engines in that order.
#include <csignal>
#include <cstdio>
#include <filesystem>

#include "core/support/clock.hpp"
#include "core/support/log.hpp"
#include "hosts/common/args.hpp"
#include "hosts/common/runtime.hpp"
#include "hosts/vigild/default_config.hpp"
#include "hosts/vigild/default_master_key.hpp"

namespace {

using namespace vigil;

constexpr const char* kUsage =
    "usage: vigild [--config FILE] [--plugin PATH]... [--listen HOST:PORT] [--data-dir DIR] "
    "[--log-level debug|info|warn|error]\n";

core::LogLevel parse_level(const std::string& level) {
  if (level == "debug") return core::LogLevel::debug;
  if (level == "warn") return core::LogLevel::warn;
  if (level == "error") return core::LogLevel::error;
  return core::LogLevel::info;
}

host::Config read_config(const host::Args& args) {
  if (auto file = args.get("config")) return host::load_config(*file);
  host::Config config =
      host::parse_config(host::kDefaultConfig, "<embedded default config>", std::filesystem::current_path());
  host::use_default_master_key(config, args.get("data-dir").value_or("vigil-data"));
  return config;
}

// Blocks the stop signals in every thread (threads inherit the mask), so
// the main thread alone receives them through sigwait.
sigset_t block_stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

// SIGHUP re-reads the config file and swaps the feeds; a config that does
// not load leaves the running feeds as they are.
void reload(const host::Args& args, host::Runtime& runtime) {
  auto file = args.get("config");
  if (!file) {
    core::log(core::LogLevel::warn, "vigild", "SIGHUP: running the embedded default, there is no file to re-read");
    return;
  }
  try {
    std::string names;
    for (const std::string& name : runtime.reload_feeds(host::load_config(*file)))
      names += (names.empty() ? "" : ", ") + name;
    core::log(core::LogLevel::info, "vigild",
              "SIGHUP: feeds reloaded from " + *file + " (" + (names.empty() ? "none" : names) +
                  "); other sections take effect at the next restart");
  } catch (const std::exception& e) {
    core::log(core::LogLevel::error, "vigild", std::string("SIGHUP: feeds unchanged: ") + e.what());
  }
}

void wait_for_stop(const sigset_t& signals, const host::Args& args, host::Runtime& runtime) {
  for (;;) {
    int signal = 0;
    sigwait(&signals, &signal);
    if (signal != SIGHUP) return;
    reload(args, runtime);
  }
}

int run(const host::Args& args) {
  sigset_t signals = block_stop_signals();
  host::Config config = read_config(args);
  core::set_log_level(parse_level(args.get("log-level").value_or(config.log_level)));
  host::Overrides overrides{args.get("listen"), args.get("data-dir"), args.all("plugin")};
  host::Runtime runtime(std::move(config), overrides, core::wall_clock());
  runtime.start();
  if (auto endpoint = runtime.endpoint())
    std::printf("vigild: listening on %s\n", endpoint->c_str());
  else
    std::printf("vigild: running (the config names no transport, so nothing listens)\n");
  std::fflush(stdout);
  wait_for_stop(signals, args, runtime);
  core::log(core::LogLevel::info, "vigild", "stopping");
  runtime.stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    host::Args args(argc - 1, argv + 1, {"config", "plugin", "listen", "data-dir", "log-level"}, {"help"});
    if (args.has("help")) return std::fputs(kUsage, stdout), 0;
    return run(args);
  } catch (const host::UsageError& e) {
    std::fprintf(stderr, "vigild: %s\n%s", e.what(), kUsage);
    return 64;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigild: %s\n", e.what());
    return 1;
  }
}
