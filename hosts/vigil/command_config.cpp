#include "hosts/vigil/command_config.hpp"

#include <cstdlib>
#include <filesystem>

#include "hosts/common/data_dir.hpp"
#include "hosts/vigild/default_config.hpp"
#include "hosts/vigild/secret_file_flags.hpp"

namespace vigil::cli {
namespace {

constexpr const char* kDefaultDataDir = "vigil-data";  // vigild's, for the embedded default

// The master key file of the embedded default, unless the environment
// holds the key (then the cipher reads VIGIL_MASTER_KEY itself).
std::optional<std::filesystem::path> default_master_key(const host::Args& args) {
  if (std::getenv("VIGIL_MASTER_KEY")) return std::nullopt;
  return std::filesystem::path(args.get("data-dir").value_or(kDefaultDataDir)) / "master.key";
}

}  // namespace

host::Config command_config(const host::Args& args) {
  auto file = args.get("config");
  host::Config config =
      file ? host::load_config(*file)
           : host::parse_config(host::kDefaultConfig, "<embedded default config>", std::filesystem::current_path());
  std::optional<std::filesystem::path> master_key = args.get("master-key-file");
  if (!file && !master_key && !config.secrets.master_key_file) master_key = default_master_key(args);
  host::use_secret_files(config, {std::nullopt, master_key});
  if (auto dir = args.get("data-dir")) host::use_data_dir(config, *dir);
  return config;
}

}  // namespace vigil::cli
