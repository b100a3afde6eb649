// Where a cipher's master keys come from, read from its options. Keys never
// appear in the options themselves: only the environment variable or the
// file that holds each one.
//
//   {}                                  version 1 from $VIGIL_MASTER_KEY
//   {"key_env": "NAME"}                 version 1 from $NAME
//   {"key_file": "/path"}               version 1 from a file
//   {"keys": [{"version": 1, "file": "/old"}, {"version": 2, "env": "KEY_V2"}],
//    "current": 2}                      several versions; new tokens use
//                                       `current` (default: the highest)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vigil::sdk {
class Options;
}

namespace vigil::keyring {

inline constexpr const char* kDefaultKeyEnv = "VIGIL_MASTER_KEY";

struct KeySource {
  enum class Origin { env, file };
  uint32_t version = 1;
  Origin origin = Origin::env;
  std::string name;  // variable name or file path

  // "environment variable VIGIL_MASTER_KEY" / "key file /etc/vigil/key"
  std::string describe() const;
};

struct KeyOptions {
  std::vector<KeySource> keys;  // distinct versions, in the order given
  uint32_t current = 1;
};

// The option names parse_key_options reads: a plugin passes them, with its
// own, to Options::allow, so that a misspelt key is named before the
// others are read.
const std::vector<std::string>& key_option_names();

// Reads the key options out of a cipher's options (vigil/cpp/options.hpp);
// refuses what is wrong with std::invalid_argument "<plugin>: option <key>:
// <why>" (keys[1].version for a key inside the list).
KeyOptions parse_key_options(const sdk::Options& options);

}  // namespace vigil::keyring
