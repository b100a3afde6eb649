#include "hosts/vigild/default_master_key.hpp"

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "core/support/log.hpp"
#include "hosts/vigild/secret_file.hpp"

namespace vigil::host {

void use_default_master_key(Config& config, const std::filesystem::path& data_dir) {
  const char* env = std::getenv("VIGIL_MASTER_KEY");
  if (!config.cipher || (env && *env)) return;
  ensure_data_dir(data_dir);
  std::filesystem::path file = data_dir / "master.key";
  if (create_secret_file(file, "master key"))
    core::log(core::LogLevel::warn, "vigild",
              "created the master key " + file.string() + ": back it up; without it stored secrets cannot be read");
  nlohmann::json options =
      nlohmann::json::parse(config.cipher->options_json.empty() ? "{}" : config.cipher->options_json);
  options["key_file"] = std::filesystem::absolute(file).string();
  config.cipher->options_json = options.dump();
}

}  // namespace vigil::host
