// The YAML configuration: which plugin plays each role, with what options,
// and the instruments. Every error names the file, the line and the key:
//   "vigil.yaml:12: rules[0].plugin: expected a plugin name"
//
// Secrets never appear inline: the config may only name files holding them
// (secrets.admin_token_file, secrets.master_key_file); otherwise they come
// from the environment (VIGIL_ADMIN_TOKEN, VIGIL_MASTER_KEY).
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace vigil::host {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One role filled by one plugin.
struct PluginChoice {
  std::string plugin;        // name or path, see resolve_plugin
  std::string options_json;  // the `options` subtree as JSON ("{}" if none)
  std::string where;         // "rules[0]", "store", ...
  std::string name;          // feeds: `name:`, what instruments' `sources` refer to (default: where)
  // rules: `fallback: owner_stop`, the position's own stop while the rule
  // fails (core::EngineRule::fallback_to_owner_stop); `none` by default.
  bool fallback_to_owner_stop = false;
};

struct InstrumentConfig {
  std::string symbol;
  int digits = 0;
  // Feed names in priority order: a tick counts only from the first of
  // them that has quoted the instrument within failover_after_seconds.
  // Empty: every feed's ticks count. "push" names pushed prices.
  std::vector<std::string> sources;
  int failover_after_seconds = 5;
  // Weekly UTC sessions ("Mon-Fri 00:00-24:00", core/app/trading_hours.hpp):
  // the instrument is judged stale only while open. Empty: always open.
  std::vector<std::string> trading_hours;
  // After a stale gap, hold the first tick until the next confirms it.
  bool hold_when_stale = false;
};

struct SecretsConfig {
  std::optional<std::filesystem::path> admin_token_file;
  std::optional<std::filesystem::path> master_key_file;
};

// Price guards between the feeds and the engine (core/app/price_guard.hpp).
struct GuardsConfig {
  std::string spike = "hold";  // hold | reject | off
  double spike_factor = 20;
  int warmup_ticks = 50;
  int stale_after_seconds = 0;  // 0: staleness is not judged
};

// When unfinished close commands raise alerts, expire and are retried, and
// when a silent EA is flagged (core/workflow/workflow.hpp).
struct EscalationConfig {
  int command_alert_after_seconds = 30;
  int command_expire_after_seconds = 300;
  int retry_backoff_ms = 1000;
  int device_silent_after_seconds = 60;
};

// How far a catastrophe stop sits behind the hidden one
// (core/workflow/catastrophe_stop.hpp), in percent of the hidden distance.
struct CatastropheConfig {
  int multiple_percent = 300;
  int random_percent = 100;
};

// Several hosts on one store (core/cluster/README.md). Every host of a
// cluster has the same `shards`; `host_id` tells them apart.
struct ClusterConfig {
  std::string host_id;
  std::string address;  // where the host serves, for `vigil cluster status`
  int shards = 16;
  // A killed host is replaced within about 2.5 s plus the survivors'
  // takeover (1.4 s at 1,000,000 positions): bench/README.md "cluster".
  int lease_ms = 2000;
  int heartbeat_ms = 500;
  std::string where;  // "vigil.yaml:40", for errors about the section as a whole
};

struct Config {
  std::filesystem::path file;                       // where it was read from ("<embedded default>" if none)
  std::vector<std::filesystem::path> plugin_paths;  // absolute, in search order
  std::vector<std::string> extra_plugins;           // `plugins:` libraries loaded for no role
  std::vector<InstrumentConfig> instruments;
  std::vector<PluginChoice> rules;
  std::vector<PluginChoice> feeds;
  std::optional<PluginChoice> cipher;
  std::optional<PluginChoice> store;
  std::optional<PluginChoice> transport;
  SecretsConfig secrets;
  GuardsConfig guards;
  EscalationConfig escalation;
  CatastropheConfig catastrophe_stop;
  std::optional<ClusterConfig> cluster;  // absent: one host
  std::string log_level = "info";
  std::string log_format = "text";  // text or json (core/support/log.hpp)

  // Every library the config needs, each once, in order of first mention.
  std::vector<std::string> plugin_references() const;
};

// Reads and validates a config file.
Config load_config(const std::filesystem::path& file);
// Parses config text; relative paths are taken from `base_dir`.
Config parse_config(const std::string& text, const std::string& file_label, const std::filesystem::path& base_dir);

// The directories searched for plugins after the config's own: the
// VIGIL_PLUGIN_PATH environment variable (colon-separated), then, of the
// executable's own plugins, whichever exists: the `plugins` folder next to
// its `bin` folder (build/plugins) or, installed, `lib/vigil/plugins`
// (/usr/lib/vigil/plugins for /usr/bin/vigild).
std::vector<std::filesystem::path> default_plugin_paths();

}  // namespace vigil::host
