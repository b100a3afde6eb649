#include "key_options.hpp"

#include <limits>
#include <set>
#include <stdexcept>

#include "vigil/cpp/options.hpp"

namespace vigil::keyring {
namespace {

using sdk::Options;

uint32_t version(const Options& o, std::string_view key) {
  return static_cast<uint32_t>(o.required_integer(key, 1, std::numeric_limits<uint32_t>::max()));
}

// keys[i]: {"version": N, "env": NAME} or {"version": N, "file": PATH}.
KeySource entry(const Options& options, const Options& item, size_t i) {
  item.allow({"version", "env", "file"});
  if (!item.has("version")) item.fail("version", "missing: every key names its version");
  if (item.has("env") == item.has("file"))
    options.fail("keys[" + std::to_string(i) + "]", "give exactly one of env or file");
  KeySource source;
  source.version = version(item, "version");
  bool env = item.has("env");
  source.origin = env ? KeySource::Origin::env : KeySource::Origin::file;
  source.name = item.required_string(env ? "env" : "file");
  return source;
}

KeyOptions several(const Options& options) {
  if (options.has("key_env") || options.has("key_file"))
    options.fail("keys", "give either keys or key_env/key_file, not both");
  std::vector<Options> items = options.objects("keys");
  KeyOptions out;
  std::set<uint32_t> seen;
  for (size_t i = 0; i < items.size(); ++i) {
    out.keys.push_back(entry(options, items[i], i));
    if (!seen.insert(out.keys.back().version).second) items[i].fail("version", "duplicate key version");
  }
  out.current = *seen.rbegin();
  if (options.has("current")) {
    out.current = version(options, "current");
    if (!seen.count(out.current)) options.fail("current", "no key with version " + std::to_string(out.current));
  }
  return out;
}

KeyOptions single(const Options& options) {
  if (options.has("current")) options.fail("current", "only meaningful with keys");
  if (options.has("key_env") && options.has("key_file"))
    options.fail("key_file", "give either key_env or key_file, not both");
  KeySource source;
  if (options.has("key_file")) {
    source.origin = KeySource::Origin::file;
    source.name = options.required_string("key_file");
  } else {
    source.name = options.string("key_env", kDefaultKeyEnv);
  }
  return KeyOptions{{source}, 1};
}

}  // namespace

std::string KeySource::describe() const {
  return (origin == Origin::env ? "environment variable " : "key file ") + name;
}

const std::vector<std::string>& key_option_names() {
  static const std::vector<std::string> names = {"key_env", "key_file", "keys", "current"};
  return names;
}

KeyOptions parse_key_options(const sdk::Options& options) {
  return options.has("keys") ? several(options) : single(options);
}

}  // namespace vigil::keyring
