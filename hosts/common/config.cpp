#include "hosts/common/config.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/app/trading_hours.hpp"
#include "vigil/cpp/utf8.hpp"

namespace vigil::host {
namespace {

using Json = nlohmann::json;

// Carries the file label so every error can say "file:line: key: message".
struct Reader {
  std::string file;

  [[noreturn]] void fail(const YAML::Node& at, const std::string& key, const std::string& message) const {
    int line = at.IsDefined() ? at.Mark().line + 1 : 0;
    throw ConfigError(file + ":" + std::to_string(line) + ": " + key + ": " + message);
  }

  // Refuses duplicate keys (yaml-cpp keeps the first silently) and unknown ones.
  void check_keys(const YAML::Node& map, const std::string& path, const std::set<std::string>& allowed) const {
    if (!map.IsMap()) fail(map, path.empty() ? "(top level)" : path, "expected a mapping");
    std::set<std::string> seen;
    for (const auto& entry : map) {
      std::string key = entry.first.Scalar();
      std::string full = path.empty() ? key : path + "." + key;
      if (!seen.insert(key).second) fail(entry.first, full, "duplicate key");
      if (!allowed.empty() && !allowed.count(key)) fail(entry.first, full, "unknown key");
    }
  }

  std::string scalar(const YAML::Node& node, const std::string& key) const {
    if (!node.IsScalar() || node.Scalar().empty()) fail(node, key, "expected a non-empty value");
    return utf8(node, key, node.Scalar());
  }

  // `text` (a scalar or key of `node`), refused when it is not UTF-8. The
  // file was checked before parsing, but yaml-cpp writes the escapes "\N"
  // and "\_" as the Latin-1 bytes 0x85 and 0xA0, and nlohmann then threw
  // type_error (not a ConfigError) writing plugin options as JSON; the
  // config fuzzer found it.
  const std::string& utf8(const YAML::Node& node, const std::string& key, const std::string& text) const {
    if (!sdk::is_utf8(text)) fail(node, key, "not valid UTF-8 (YAML's \\N and \\_ escapes are not supported)");
    return text;
  }

  bool boolean(const YAML::Node& node, const std::string& key) const {
    std::string text = scalar(node, key);
    if (text != "true" && text != "false") fail(node, key, "expected true or false");
    return text == "true";
  }

  int integer(const YAML::Node& node, const std::string& key, int low, int high) const {
    std::string text = scalar(node, key);
    char* end = nullptr;
    long value = std::strtol(text.c_str(), &end, 10);
    if (*end != '\0' || value < low || value > high)
      fail(node, key, "expected a whole number from " + std::to_string(low) + " to " + std::to_string(high));
    return static_cast<int>(value);
  }

  // YAML to JSON. A plain scalar becomes a bool, null or number where it
  // reads as one; a quoted scalar always stays a string.
  Json to_json(const YAML::Node& node, const std::string& key) const {
    switch (node.Type()) {
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined:
        return nullptr;
      case YAML::NodeType::Sequence: {
        Json out = Json::array();
        for (size_t i = 0; i < node.size(); ++i) out.push_back(to_json(node[i], key + "[" + std::to_string(i) + "]"));
        return out;
      }
      case YAML::NodeType::Map: {
        check_keys(node, key, {});
        Json out = Json::object();
        for (const auto& entry : node)
          out[utf8(entry.first, key, entry.first.Scalar())] = to_json(entry.second, key + "." + entry.first.Scalar());
        return out;
      }
      case YAML::NodeType::Scalar:
        break;
    }
    const std::string& text = utf8(node, key, node.Scalar());
    if (node.Tag() == "!") return text;  // quoted
    if (text == "true" || text == "false") return text == "true";
    if (text == "null" || text == "~") return nullptr;
    Json number = Json::parse(text, nullptr, false);
    if (number.is_number()) return number;
    return text;
  }

  // `named`: a feed (a `name:` key); `rule`: a rule (a `fallback:` key).
  PluginChoice choice(const YAML::Node& node, const std::string& where, bool named = false, bool rule = false) const {
    if (node.IsScalar()) return {scalar(node, where), "{}", where, where};
    if (named)
      check_keys(node, where, {"plugin", "options", "name"});
    else if (rule)
      check_keys(node, where, {"plugin", "options", "fallback"});
    else
      check_keys(node, where, {"plugin", "options"});
    if (!node["plugin"]) fail(node, where + ".plugin", "missing: name the plugin for this role");
    PluginChoice out{scalar(node["plugin"], where + ".plugin"), "{}", where, where};
    if (node["name"]) out.name = scalar(node["name"], where + ".name");
    if (node["fallback"]) {
      std::string fallback = scalar(node["fallback"], where + ".fallback");
      if (fallback != "none" && fallback != "owner_stop")
        fail(node["fallback"], where + ".fallback", "expected none or owner_stop");
      out.fallback_to_owner_stop = fallback == "owner_stop";
    }
    if (node["options"]) {
      Json options = to_json(node["options"], where + ".options");
      if (!options.is_object() && !options.is_null()) fail(node["options"], where + ".options", "expected a mapping");
      if (options.is_object()) out.options_json = options.dump();
    }
    return out;
  }

  std::vector<PluginChoice> choices(const YAML::Node& node, const std::string& key, bool named = false,
                                    bool rule = false) const {
    if (!node.IsSequence()) fail(node, key, "expected a list");
    std::vector<PluginChoice> out;
    std::set<std::string> names;
    for (size_t i = 0; i < node.size(); ++i) {
      out.push_back(choice(node[i], key + "[" + std::to_string(i) + "]", named, rule));
      if (named && !names.insert(out.back().name).second)
        fail(node[i]["name"], out.back().where + ".name", "duplicate feed name '" + out.back().name + "'");
    }
    return out;
  }

  std::filesystem::path path(const YAML::Node& node, const std::string& key, const std::filesystem::path& base) const {
    std::filesystem::path p = scalar(node, key);
    return p.is_absolute() ? p : (base / p).lexically_normal();
  }
};

// YAML text is Unicode. yaml-cpp passes other bytes through, and nlohmann
// then threw type_error (not a ConfigError) writing plugin options as JSON;
// the config fuzzer found it.
void check_utf8(const std::string& text, const std::string& file_label) {
  size_t bad = sdk::utf8_error_offset(text);
  if (bad == text.size()) return;
  auto line = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bad), '\n') + 1;
  throw ConfigError(file_label + ":" + std::to_string(line) + ": not valid UTF-8 (byte " + std::to_string(bad + 1) +
                    " of the file)");
}

// Every feed an instrument names as a source must be configured; "push"
// is the admin API's pushed prices (POST /api/v1/admin/ticks).
void check_sources(const Reader& r, const YAML::Node& root, const Config& config) {
  std::set<std::string> feeds = {"push"};
  for (const PluginChoice& feed : config.feeds) feeds.insert(feed.name);
  for (size_t i = 0; i < config.instruments.size(); ++i) {
    const std::vector<std::string>& sources = config.instruments[i].sources;
    for (size_t k = 0; k < sources.size(); ++k)
      if (!feeds.count(sources[k]))
        r.fail(root["instruments"][i]["sources"][k],
               "instruments[" + std::to_string(i) + "].sources[" + std::to_string(k) + "]",
               "no feed is named '" + sources[k] + "' (give the feed a name: key)");
  }
}

// Each session is checked by the calendar that will use it, so the config
// refuses exactly what the core would.
std::vector<std::string> read_trading_hours(const Reader& r, const YAML::Node& node, const std::string& key) {
  if (!node.IsSequence() || node.size() == 0)
    r.fail(node, key, "expected a list of weekly UTC sessions, e.g. ['Mon-Fri 00:00-24:00']");
  std::vector<std::string> sessions;
  for (size_t k = 0; k < node.size(); ++k) {
    std::string where = key + "[" + std::to_string(k) + "]";
    sessions.push_back(r.scalar(node[k], where));
    try {
      core::TradingHours check({sessions.back()});
    } catch (const std::invalid_argument& e) {
      r.fail(node[k], where, e.what());
    }
  }
  return sessions;
}

void read_instruments(const Reader& r, const YAML::Node& node, Config& config) {
  if (!node.IsSequence()) r.fail(node, "instruments", "expected a list of {symbol, digits}");
  std::set<std::string> symbols;
  for (size_t i = 0; i < node.size(); ++i) {
    std::string key = "instruments[" + std::to_string(i) + "]";
    r.check_keys(node[i], key,
                 {"symbol", "digits", "sources", "failover_after_seconds", "trading_hours", "hold_when_stale"});
    if (!node[i]["symbol"]) r.fail(node[i], key + ".symbol", "missing");
    if (!node[i]["digits"]) r.fail(node[i], key + ".digits", "missing");
    InstrumentConfig instrument;
    instrument.symbol = r.scalar(node[i]["symbol"], key + ".symbol");
    instrument.digits = r.integer(node[i]["digits"], key + ".digits", 0, 10);
    if (!symbols.insert(instrument.symbol).second) r.fail(node[i]["symbol"], key + ".symbol", "duplicate instrument");
    if (const YAML::Node sources = node[i]["sources"]) {
      if (!sources.IsSequence() || sources.size() == 0)
        r.fail(sources, key + ".sources", "expected a list of feed names, primary first");
      for (size_t k = 0; k < sources.size(); ++k)
        instrument.sources.push_back(r.scalar(sources[k], key + ".sources[" + std::to_string(k) + "]"));
    }
    if (node[i]["failover_after_seconds"])
      instrument.failover_after_seconds =
          r.integer(node[i]["failover_after_seconds"], key + ".failover_after_seconds", 1, 3600);
    if (node[i]["trading_hours"])
      instrument.trading_hours = read_trading_hours(r, node[i]["trading_hours"], key + ".trading_hours");
    if (node[i]["hold_when_stale"])
      instrument.hold_when_stale = r.boolean(node[i]["hold_when_stale"], key + ".hold_when_stale");
    config.instruments.push_back(instrument);
  }
}

// Holding after a stale gap needs staleness judged at all.
void check_hold_when_stale(const Reader& r, const YAML::Node& root, const Config& config) {
  if (config.guards.stale_after_seconds > 0) return;
  for (size_t i = 0; i < config.instruments.size(); ++i)
    if (config.instruments[i].hold_when_stale)
      r.fail(root["instruments"][i]["hold_when_stale"], "instruments[" + std::to_string(i) + "].hold_when_stale",
             "needs guards.stale_after_seconds: without it no instrument is ever stale");
}

void read_secrets(const Reader& r, const YAML::Node& node, const std::filesystem::path& base, Config& config) {
  if (!node.IsMap()) r.fail(node, "secrets", "expected a mapping");  // found by the config fuzzer
  for (const auto& entry : node) {
    std::string key = entry.first.Scalar();
    if (key == "admin_token" || key == "master_key")
      r.fail(entry.first, "secrets." + key,
             "secrets are never written in the config: name a file with " + key +
                 "_file, or set the environment variable");
  }
  r.check_keys(node, "secrets", {"admin_token_file", "master_key_file"});
  if (node["admin_token_file"])
    config.secrets.admin_token_file = r.path(node["admin_token_file"], "secrets.admin_token_file", base);
  if (node["master_key_file"])
    config.secrets.master_key_file = r.path(node["master_key_file"], "secrets.master_key_file", base);
}

void read_escalation(const Reader& r, const YAML::Node& node, Config& config) {
  r.check_keys(node, "escalation",
               {"command_alert_after_seconds", "command_expire_after_seconds", "retry_backoff_ms",
                "device_silent_after_seconds"});
  EscalationConfig& e = config.escalation;
  auto read = [&](const char* key, int& value, int low, int high) {
    if (node[key]) value = r.integer(node[key], std::string("escalation.") + key, low, high);
  };
  read("command_alert_after_seconds", e.command_alert_after_seconds, 1, 3600);
  read("command_expire_after_seconds", e.command_expire_after_seconds, 1, 86400);
  read("retry_backoff_ms", e.retry_backoff_ms, 10, 60000);
  read("device_silent_after_seconds", e.device_silent_after_seconds, 1, 86400);
  if (e.command_expire_after_seconds <= e.command_alert_after_seconds)
    r.fail(node, "escalation.command_expire_after_seconds", "must be longer than command_alert_after_seconds");
}

void read_catastrophe_stop(const Reader& r, const YAML::Node& node, Config& config) {
  r.check_keys(node, "catastrophe_stop", {"multiple_percent", "random_percent"});
  CatastropheConfig& c = config.catastrophe_stop;
  // Below 150 % the hard stop would sit close enough to the hidden one to
  // give it away (and to be hit by the same move).
  if (node["multiple_percent"])
    c.multiple_percent = r.integer(node["multiple_percent"], "catastrophe_stop.multiple_percent", 150, 10000);
  if (node["random_percent"])
    c.random_percent = r.integer(node["random_percent"], "catastrophe_stop.random_percent", 0, 10000);
}

void read_cluster(const Reader& r, const YAML::Node& node, Config& config) {
  r.check_keys(node, "cluster", {"host_id", "address", "shards", "lease_ms", "heartbeat_ms"});
  ClusterConfig c;
  c.where = r.file + ":" + std::to_string(node.Mark().line + 1);
  if (!node["host_id"]) r.fail(node, "cluster.host_id", "missing: every host of a cluster needs its own id");
  c.host_id = r.scalar(node["host_id"], "cluster.host_id");
  if (c.host_id.size() > 64) r.fail(node["host_id"], "cluster.host_id", "at most 64 characters");
  if (node["address"]) c.address = r.scalar(node["address"], "cluster.address");
  if (node["shards"]) c.shards = r.integer(node["shards"], "cluster.shards", 1, 1024);
  if (node["lease_ms"]) c.lease_ms = r.integer(node["lease_ms"], "cluster.lease_ms", 300, 60000);
  if (node["heartbeat_ms"]) c.heartbeat_ms = r.integer(node["heartbeat_ms"], "cluster.heartbeat_ms", 50, 20000);
  // A host stops acting on its shards a margin before its lease expires,
  // and renews several times within one lease.
  if (c.heartbeat_ms * 3 > c.lease_ms)
    r.fail(node, "cluster.lease_ms",
           "must be at least three heartbeats (heartbeat_ms " + std::to_string(c.heartbeat_ms) + ")");
  config.cluster = std::move(c);
}

void read_guards(const Reader& r, const YAML::Node& node, Config& config) {
  r.check_keys(node, "guards", {"spike", "spike_factor", "warmup_ticks", "stale_after_seconds"});
  GuardsConfig& g = config.guards;
  if (node["spike"]) {
    g.spike = r.scalar(node["spike"], "guards.spike");
    if (g.spike != "hold" && g.spike != "reject" && g.spike != "off")
      r.fail(node["spike"], "guards.spike", "expected hold, reject or off");
  }
  if (node["spike_factor"]) g.spike_factor = r.integer(node["spike_factor"], "guards.spike_factor", 2, 1000);
  if (node["warmup_ticks"]) g.warmup_ticks = r.integer(node["warmup_ticks"], "guards.warmup_ticks", 1, 100000);
  if (node["stale_after_seconds"])
    g.stale_after_seconds = r.integer(node["stale_after_seconds"], "guards.stale_after_seconds", 0, 86400);
}

}  // namespace

std::vector<std::string> Config::plugin_references() const {
  std::vector<std::string> out;
  auto add = [&](const std::string& name) {
    for (const auto& existing : out)
      if (existing == name) return;
    out.push_back(name);
  };
  for (const auto& name : extra_plugins) add(name);
  for (const auto* role : {&cipher, &store, &transport})
    if (*role) add((*role)->plugin);
  for (const auto& feed : feeds) add(feed.plugin);
  for (const auto& rule : rules) add(rule.plugin);
  return out;
}

Config parse_config(const std::string& text, const std::string& file_label, const std::filesystem::path& base_dir) {
  Reader r{file_label};
  check_utf8(text, file_label);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ConfigError(file_label + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  Config config;
  config.file = file_label;
  if (root.IsNull()) return config;
  r.check_keys(root, "",
               {"plugin_paths", "plugins", "instruments", "rules", "feeds", "cipher", "store", "transport", "secrets",
                "guards", "escalation", "catastrophe_stop", "cluster", "log_level", "log_format"});
  if (root["plugin_paths"]) {
    if (!root["plugin_paths"].IsSequence()) r.fail(root["plugin_paths"], "plugin_paths", "expected a list of folders");
    for (size_t i = 0; i < root["plugin_paths"].size(); ++i)
      config.plugin_paths.push_back(
          r.path(root["plugin_paths"][i], "plugin_paths[" + std::to_string(i) + "]", base_dir));
  }
  if (root["plugins"]) {
    for (const auto& choice : r.choices(root["plugins"], "plugins")) config.extra_plugins.push_back(choice.plugin);
  }
  if (root["instruments"]) read_instruments(r, root["instruments"], config);
  if (root["rules"]) config.rules = r.choices(root["rules"], "rules", false, true);
  if (root["feeds"]) config.feeds = r.choices(root["feeds"], "feeds", true);
  check_sources(r, root, config);
  if (root["cipher"]) config.cipher = r.choice(root["cipher"], "cipher");
  if (root["store"]) config.store = r.choice(root["store"], "store");
  if (root["transport"]) config.transport = r.choice(root["transport"], "transport");
  if (root["secrets"]) read_secrets(r, root["secrets"], base_dir, config);
  if (root["guards"]) read_guards(r, root["guards"], config);
  if (root["escalation"]) read_escalation(r, root["escalation"], config);
  if (root["catastrophe_stop"]) read_catastrophe_stop(r, root["catastrophe_stop"], config);
  if (root["cluster"]) read_cluster(r, root["cluster"], config);
  check_hold_when_stale(r, root, config);
  if (root["log_level"]) {
    config.log_level = r.scalar(root["log_level"], "log_level");
    if (config.log_level != "debug" && config.log_level != "info" && config.log_level != "warn" &&
        config.log_level != "error")
      r.fail(root["log_level"], "log_level", "expected debug, info, warn or error");
  }
  if (root["log_format"]) {
    config.log_format = r.scalar(root["log_format"], "log_format");
    if (config.log_format != "text" && config.log_format != "json")
      r.fail(root["log_format"], "log_format", "expected text or json");
  }
  for (const auto& extra : default_plugin_paths()) config.plugin_paths.push_back(extra);
  return config;
}

Config load_config(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw ConfigError(file.string() + ": cannot read the config file");
  std::stringstream text;
  text << in.rdbuf();
  std::filesystem::path base = std::filesystem::absolute(file).parent_path();
  return parse_config(text.str(), file.string(), base);
}

std::vector<std::filesystem::path> default_plugin_paths() {
  std::vector<std::filesystem::path> out;
  if (const char* env = std::getenv("VIGIL_PLUGIN_PATH")) {
    std::stringstream list(env);
    std::string dir;
    while (std::getline(list, dir, ':'))
      if (!dir.empty()) out.emplace_back(dir);
  }
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return out;
  // build/bin/vigild finds build/plugins; an installed <prefix>/bin/vigild
  // finds <prefix>/lib/vigil/plugins (packaging/CMakeLists.txt).
  std::filesystem::path prefix = exe.parent_path().parent_path();
  for (const char* dir : {"plugins", "lib/vigil/plugins"})
    if (std::filesystem::is_directory(prefix / dir, ec)) out.push_back((prefix / dir).lexically_normal());
  return out;
}

}  // namespace vigil::host
