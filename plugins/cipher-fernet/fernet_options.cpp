#include "fernet_options.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace vigil::fernet {
namespace {

constexpr const char* kPlugin = "cipher-fernet";

[[noreturn]] void fail(const std::string& key, const std::string& why) {
  throw std::invalid_argument(std::string(kPlugin) + ": option " + key + ": " + why);
}

}  // namespace

Options parse_options(const std::string& options_json) {
  nlohmann::json options = nlohmann::json::parse(options_json, nullptr, false);
  if (!options.is_object()) fail("(all)", "expected a mapping");
  const auto& key_names = keyring::key_option_names();
  for (const auto& [key, value] : options.items())
    if (key != "ttl_seconds" && std::find(key_names.begin(), key_names.end(), key) == key_names.end())
      fail(key, "unknown option");
  Options out;
  out.keys = keyring::parse_key_options(options, kPlugin);
  if (options.contains("ttl_seconds")) {
    const auto& ttl = options["ttl_seconds"];
    if (!ttl.is_number_integer() || ttl.get<int64_t>() < 0) fail("ttl_seconds", "expected a whole number >= 0");
    out.ttl_seconds = ttl.get<uint64_t>();
  }
  return out;
}

}  // namespace vigil::fernet
