#include "fernet_options.hpp"

#include <vector>

#include "vigil/cpp/options.hpp"

namespace vigil::fernet {

Options parse_options(const std::string& options_json) {
  sdk::Options o(options_json, "cipher-fernet");
  std::vector<std::string> known = keyring::key_option_names();
  known.push_back("ttl_seconds");
  o.allow(known);
  Options out;
  out.keys = keyring::parse_key_options(o);
  out.ttl_seconds = static_cast<uint64_t>(o.integer("ttl_seconds", 0, 0));
  return out;
}

}  // namespace vigil::fernet
