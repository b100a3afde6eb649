// vigild — the Vigil host daemon. See docs/cli.md.
//
//   vigild [--config FILE] [--plugin PATH]... [--listen HOST:PORT] [--data-dir DIR]
//          [--admin-token-file FILE] [--master-key-file FILE] [--log-level LEVEL]
//   vigild --version
//
// Loads and validates everything before serving; runs until SIGTERM or
// SIGINT, then stops feeds, the transport and the engines in that order.
// Under systemd (Type=notify) it says READY=1 once serving, RELOADING=1 and
// READY=1 around a SIGHUP reload, and STOPPING=1 when it begins to stop.
#include <csignal>
#include <cstdio>
#include <filesystem>

#include "core/support/clock.hpp"
#include "core/support/log.hpp"
#include "core/support/version.hpp"
#include "hosts/common/args.hpp"
#include "hosts/common/data_dir.hpp"
#include "hosts/common/runtime.hpp"
#include "hosts/common/systemd_notify.hpp"
#include "hosts/vigild/default_admin_token.hpp"
#include "hosts/vigild/default_config.hpp"
#include "hosts/vigild/default_master_key.hpp"
#include "hosts/vigild/secret_file_flags.hpp"

namespace {

using namespace vigil;

constexpr const char* kUsage =
    "usage: vigild [--config FILE] [--plugin PATH]... [--listen HOST:PORT] [--data-dir DIR]\n"
    "              [--admin-token-file FILE] [--master-key-file FILE] [--log-level debug|info|warn|error]\n"
    "       vigild --version\n";

constexpr const char* kDetails =
    "The Vigil server: keeps each MetaTrader 5 position's stop-loss and take-profit\n"
    "hidden from its EA, watches prices, and tells the EA to close when a level is\n"
    "hit. Loads and checks every plugin before serving; runs until SIGTERM or\n"
    "SIGINT; SIGHUP re-reads the config's feeds.\n\n"
    "options:\n"
    "  --config FILE      the YAML config (default: the embedded default, which\n"
    "                     keeps its data in ./vigil-data)\n"
    "  --plugin PATH      one more plugin library; repeatable\n"
    "  --listen HOST:PORT  the transport's listen address (its options.listen)\n"
    "  --data-dir DIR     the store's data directory (its options.data_dir; ignored,\n"
    "                     with a warning, by store-postgres)\n"
    "  --admin-token-file FILE  the admin API's token (secrets.admin_token_file)\n"
    "  --master-key-file FILE   the cipher's master key (secrets.master_key_file)\n"
    "  --log-level LEVEL  debug, info, warn or error (the config's log_level)\n"
    "  --help, -h         this help\n"
    "  --version          the version and the plugin ABI\n\n"
    "exit codes: 0 stopped cleanly, 1 could not start (one line says why), 64 bad\n"
    "usage\n";

core::LogLevel parse_level(const std::string& level) {
  if (level == "debug") return core::LogLevel::debug;
  if (level == "warn") return core::LogLevel::warn;
  if (level == "error") return core::LogLevel::error;
  return core::LogLevel::info;
}

// The config with the secret files of the command line applied; the
// embedded default then makes the secrets it is not given (`made_token`:
// the admin token it made or reused, to be announced once serving).
host::Config read_config(const host::Args& args, std::optional<host::DefaultAdminToken>& made_token) {
  auto file = args.get("config");
  host::Config config =
      file ? host::load_config(*file)
           : host::parse_config(host::kDefaultConfig, "<embedded default config>", std::filesystem::current_path());
  host::use_secret_files(config, {args.get("admin-token-file"), args.get("master-key-file")});
  if (auto dir = args.get("data-dir")) host::use_data_dir(config, *dir);
  if (file) return config;
  std::filesystem::path data_dir = args.get("data-dir").value_or("vigil-data");
  if (!config.secrets.master_key_file) host::use_default_master_key(config, data_dir);
  made_token = host::use_default_admin_token(config, data_dir);
  return config;
}

// A failed notification is logged, not fatal: systemd then acts on its own
// timeout.
void notify_systemd(const host::SystemdNotifier& systemd, std::string_view state) {
  try {
    systemd.notify(state);
  } catch (const std::exception& e) {
    core::log(core::LogLevel::warn, "vigild", e.what());
  }
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

void wait_for_stop(const sigset_t& signals, const host::Args& args, host::Runtime& runtime,
                   const host::SystemdNotifier& systemd) {
  for (;;) {
    int signal = 0;
    sigwait(&signals, &signal);
    if (signal != SIGHUP) return;
    notify_systemd(systemd, "RELOADING=1");
    reload(args, runtime);
    notify_systemd(systemd, "READY=1");
  }
}

int run(const host::Args& args) {
  sigset_t signals = block_stop_signals();
  std::optional<host::DefaultAdminToken> made_token;
  host::Config config = read_config(args, made_token);
  core::set_log_level(parse_level(args.get("log-level").value_or(config.log_level)));
  core::set_log_format(config.log_format == "json" ? core::LogFormat::json : core::LogFormat::text);
  bool console = host::admin_token_configured(config);
  host::Overrides overrides{args.get("listen"), std::nullopt, args.all("plugin")};  // --data-dir: read_config
  host::Runtime runtime(std::move(config), overrides, core::wall_clock());
  runtime.start();
  if (made_token) host::announce(*made_token);
  if (auto endpoint = runtime.endpoint()) {
    std::printf("vigild: listening on %s\n", endpoint->c_str());
    if (console) std::printf("vigild: console at %s/console (log in with the admin token)\n", endpoint->c_str());
  } else {
    std::printf("vigild: running (the config names no transport, so nothing listens)\n");
  }
  std::fflush(stdout);
  host::SystemdNotifier systemd = host::SystemdNotifier::from_environment();
  notify_systemd(systemd, "READY=1");
  wait_for_stop(signals, args, runtime, systemd);
  notify_systemd(systemd, "STOPPING=1");
  core::log(core::LogLevel::info, "vigild", "stopping");
  runtime.stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    host::Args args(argc - 1, argv + 1,
                    {"config", "plugin", "listen", "data-dir", "log-level", "admin-token-file", "master-key-file"},
                    {"help", "version"});
    if (args.wants_help()) return std::printf("%s\n%s", kUsage, kDetails), 0;
    if (args.has("version")) return std::printf("vigild %s (plugin ABI %s)\n", core::kVersion, core::kAbiVersion), 0;
    return run(args);
  } catch (const host::UsageError& e) {
    std::fprintf(stderr, "vigild: %s\n%s", e.what(), kUsage);
    return 64;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigild: %s\n", e.what());
    return 1;
  }
}
