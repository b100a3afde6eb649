#include "key_options.hpp"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

namespace vigil::keyring {
namespace {

using Json = nlohmann::json;

struct Reader {
  std::string_view plugin;

  [[noreturn]] void fail(const std::string& key, const std::string& why) const {
    throw std::invalid_argument(std::string(plugin) + ": option " + key + ": " + why);
  }

  std::string text(const Json& value, const std::string& key) const {
    if (!value.is_string() || value.get<std::string>().empty()) fail(key, "expected a non-empty string");
    return value.get<std::string>();
  }

  uint32_t version(const Json& value, const std::string& key) const {
    if (!value.is_number_integer() || value.get<int64_t>() < 1 ||
        value.get<int64_t>() > std::numeric_limits<uint32_t>::max())
      fail(key, "expected a whole number from 1 to 4294967295");
    return static_cast<uint32_t>(value.get<int64_t>());
  }

  KeySource entry(const Json& item, const std::string& at) const {
    if (!item.is_object()) fail(at, "expected {\"version\": N, \"env\": NAME} or {\"version\": N, \"file\": PATH}");
    for (const auto& [key, value] : item.items())
      if (key != "version" && key != "env" && key != "file") fail(at + "." + key, "unknown option");
    if (!item.contains("version")) fail(at + ".version", "missing: every key names its version");
    if (item.contains("env") == item.contains("file")) fail(at, "give exactly one of env or file");
    KeySource source;
    source.version = version(item["version"], at + ".version");
    bool env = item.contains("env");
    source.origin = env ? KeySource::Origin::env : KeySource::Origin::file;
    source.name = text(env ? item["env"] : item["file"], at + (env ? ".env" : ".file"));
    return source;
  }

  KeyOptions several(const Json& options) const {
    if (options.contains("key_env") || options.contains("key_file"))
      fail("keys", "give either keys or key_env/key_file, not both");
    const Json& keys = options["keys"];
    if (!keys.is_array() || keys.empty()) fail("keys", "expected a non-empty list of keys");
    KeyOptions out;
    std::set<uint32_t> seen;
    for (size_t i = 0; i < keys.size(); ++i) {
      std::string at = "keys[" + std::to_string(i) + "]";
      out.keys.push_back(entry(keys[i], at));
      if (!seen.insert(out.keys.back().version).second) fail(at + ".version", "duplicate key version");
    }
    out.current = *seen.rbegin();
    if (options.contains("current")) {
      out.current = version(options["current"], "current");
      if (!seen.count(out.current)) fail("current", "no key with version " + std::to_string(out.current));
    }
    return out;
  }

  KeyOptions single(const Json& options) const {
    if (options.contains("current")) fail("current", "only meaningful with keys");
    if (options.contains("key_env") && options.contains("key_file"))
      fail("key_file", "give either key_env or key_file, not both");
    KeySource source;
    if (options.contains("key_file")) {
      source.origin = KeySource::Origin::file;
      source.name = text(options["key_file"], "key_file");
    } else {
      source.name = options.contains("key_env") ? text(options["key_env"], "key_env") : kDefaultKeyEnv;
    }
    return KeyOptions{{source}, 1};
  }
};

}  // namespace

std::string KeySource::describe() const {
  return (origin == Origin::env ? "environment variable " : "key file ") + name;
}

const std::vector<std::string>& key_option_names() {
  static const std::vector<std::string> names = {"key_env", "key_file", "keys", "current"};
  return names;
}

KeyOptions parse_key_options(const nlohmann::json& options, std::string_view plugin) {
  Reader reader{plugin};
  if (!options.is_object()) reader.fail("(all)", "expected a mapping");
  return options.contains("keys") ? reader.several(options) : reader.single(options);
}

}  // namespace vigil::keyring
