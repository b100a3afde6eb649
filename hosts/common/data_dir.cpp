#include "hosts/common/data_dir.hpp"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/support/log.hpp"

namespace vigil::host {
namespace {

// Whether the store plugin (a name or a path to its library) keeps its data
// in a database server rather than in files.
bool keeps_no_files(const PluginChoice& store) {
  return std::filesystem::path(store.plugin).stem().string().find("store-postgres") != std::string::npos;
}

}  // namespace

void use_data_dir(Config& config, const std::string& dir) {
  if (!config.store) throw ConfigError("--data-dir: the config has no store to apply it to");
  if (keeps_no_files(*config.store)) {
    core::log(core::LogLevel::warn, "config",
              "--data-dir " + dir + " ignored: " + config.store->plugin +
                  " keeps its data in PostgreSQL (store options.dsn), not in a directory");
    return;
  }
  nlohmann::json options =
      nlohmann::json::parse(config.store->options_json.empty() ? "{}" : config.store->options_json);
  options["data_dir"] = dir;
  config.store->options_json = options.dump();
}

}  // namespace vigil::host
