// libFuzzer target: the YAML config loader (hosts/common/config.cpp) on
// arbitrary text. The only refusal allowed is ConfigError, and its message
// must start with the file's label ("fuzz.yaml:LINE: key: why").
#include "hosts/common/config.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string yaml(vigil::fuzz::text(data, size));
  try {
    vigil::host::Config config = vigil::host::parse_config(yaml, "fuzz.yaml", "/etc/vigil");
    config.plugin_references();
  } catch (const vigil::host::ConfigError& e) {
    vigil::fuzz::require_prefix(e.what(), "fuzz.yaml:");
  }
  return 0;
}
