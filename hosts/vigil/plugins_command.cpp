// vigil plugins --config FILE [--plugin PATH]...
//
// Loads every library the config names (and each --plugin) exactly as vigild
// would, and lists them. Any library that cannot be loaded: exit 1 and one
// line naming the file and the reason.
#include <cstdio>
#include <string>

#include "hosts/common/args.hpp"
#include "hosts/common/config.hpp"
#include "hosts/common/plugin_set.hpp"
#include "hosts/vigil/commands.hpp"

namespace vigil::cli {

int plugins_command(int argc, char** argv) {
  try {
    host::Args args(argc, argv, {"config", "plugin"});
    host::Config config = host::load_config(args.require("config"));
    host::PluginSet plugins(config, args.all("plugin"));
    std::printf("%-20s %-10s %-5s %-24s %s\n", "NAME", "VERSION", "ABI", "KINDS", "FILE");
    for (const auto& plugin : plugins.plugins()) {
      const vigil_plugin& d = plugin.descriptor();
      std::string abi = std::to_string(d.abi_major) + "." + std::to_string(d.abi_minor);
      std::printf("%-20s %-10s %-5s %-24s %s\n", d.name, d.version, abi.c_str(), plugin.kinds().c_str(),
                  plugin.path().c_str());
    }
    return 0;
  } catch (const host::UsageError& e) {
    std::fprintf(stderr, "vigil plugins: %s\nusage: vigil plugins --config FILE [--plugin PATH]...\n", e.what());
    return 64;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil plugins: %s\n", e.what());
    return 1;
  }
}

}  // namespace vigil::cli
