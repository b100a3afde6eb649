#include "hosts/vigild/secret_file_flags.hpp"

#include <nlohmann/json.hpp>
#include <string>

namespace vigil::host {

void use_secret_files(Config& config, const SecretFiles& files) {
  if (files.admin_token) config.secrets.admin_token_file = *files.admin_token;
  if (files.master_key) config.secrets.master_key_file = *files.master_key;
  if (!config.secrets.master_key_file) return;
  const std::string source = files.master_key ? "--master-key-file" : "secrets.master_key_file";
  if (!config.cipher) throw ConfigError(source + ": the config has no cipher to use the master key");
  nlohmann::json options =
      nlohmann::json::parse(config.cipher->options_json.empty() ? "{}" : config.cipher->options_json);
  for (const char* key : {"key_file", "key_env", "keys"})
    if (options.contains(key))
      throw ConfigError(source + ": the cipher's options already name its key (" + key + "): give one or the other");
  options["key_file"] = std::filesystem::absolute(*config.secrets.master_key_file).string();
  config.cipher->options_json = options.dump();
}

}  // namespace vigil::host
