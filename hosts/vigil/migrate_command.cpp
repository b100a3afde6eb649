// vigil migrate --config FILE
//
// Applies the pending migrations of the config's store (as vigild does at
// start, but without starting anything else) and prints the schema version
// reached: "schema version N". A database newer than the plugin is refused
// (exit 1), as is a store that cannot be loaded or reached.
#include <cstdio>

#include "hosts/common/args.hpp"
#include "hosts/vigil/commands.hpp"
#include "hosts/vigil/store_session.hpp"

namespace vigil::cli {

int migrate_command(int argc, char** argv) {
  try {
    host::Args args(argc, argv, {"config"});
    if (!args.positional().empty()) throw host::UsageError("unexpected argument '" + args.positional()[0] + "'");
    StoreSession store(args.require("config"), true);  // the one command that may create the store
    std::printf("schema version %lld\n", static_cast<long long>(store.migrate()));
    return 0;
  } catch (const host::UsageError& e) {
    std::fprintf(stderr, "vigil migrate: %s\nusage: vigil migrate --config FILE\n", e.what());
    return 64;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil migrate: %s\n", e.what());
    return 1;
  }
}

}  // namespace vigil::cli
