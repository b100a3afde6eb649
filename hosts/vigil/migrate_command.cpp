// vigil migrate [--config FILE] [--data-dir DIR]
//
// Applies the pending migrations of the config's store (as vigild does at
// start, but without starting anything else) and prints the schema version
// reached: "schema version N". A database newer than the plugin is refused
// (exit 1), as is a store that cannot be loaded or reached.
#include <cstdio>

#include "hosts/common/args.hpp"
#include "hosts/vigil/command_config.hpp"
#include "hosts/vigil/command_help.hpp"
#include "hosts/vigil/commands.hpp"
#include "hosts/vigil/store_session.hpp"

namespace vigil::cli {
namespace {

constexpr CommandHelp kHelp{"vigil migrate", "usage: vigil migrate [--config FILE] [--data-dir DIR]\n",
                            "Applies the pending migrations of the config's store, as vigild does at start,\n"
                            "and prints \"schema version N\". The one command that creates a store that does\n"
                            "not exist yet. A database newer than the store plugin is refused.\n\n"
                            "options:\n"
                            "  --config FILE      the config (default: vigild's embedded default)\n"
                            "  --data-dir DIR     the store's data directory, as vigild --data-dir (ignored,\n"
                            "                     with a warning, by store-postgres)\n"
                            "  --help, -h         this help\n\n"
                            "exit codes: 0 migrated, 1 failed (store or config), 64 bad usage\n"};

}  // namespace

int migrate_command(int argc, char** argv) {
  try {
    host::Args args(argc, argv, {"config", "data-dir"});
    if (args.wants_help()) return print_help(kHelp);
    if (!args.positional().empty()) throw host::UsageError("unexpected argument '" + args.positional()[0] + "'");
    StoreSession store(command_config(args), true);  // the one command that may create the store
    std::printf("schema version %lld\n", static_cast<long long>(store.migrate()));
    return 0;
  } catch (const host::UsageError& e) {
    return usage_error(kHelp, e.what(), 64);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil migrate: %s\n", e.what());
    return 1;
  }
}

}  // namespace vigil::cli
