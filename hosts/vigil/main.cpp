// vigil — the ops command line. See docs/cli.md.
#include <cstdio>
#include <cstring>
#include <string_view>

#include "core/support/version.hpp"
#include "hosts/vigil/commands.hpp"

namespace {

constexpr const char* kUsage =
    "usage: vigil <command> [options]\n"
    "       vigil <command> --help\n"
    "       vigil --version\n";

constexpr const char* kDetails =
    "The operator's command line of Vigil: checks plugins, replays recorded ticks\n"
    "through the rules, runs a cipher, and works on the store vigild uses. Each\n"
    "command answers --help with its options and exit codes.\n\n"
    "commands:\n"
    "  plugins  [--config FILE] [--plugin PATH]...\n"
    "           load, list and check every plugin\n"
    "  replay   [--config FILE] --positions FILE --ticks FILE [--format csv|mt5]\n"
    "           [--instrument SYM] [--digits SYM=N]...\n"
    "           the closes recorded ticks would fire, one JSON line each\n"
    "  feed-check [--config FILE] [--seconds N] [--ticks N]\n"
    "           run the configured feeds offline, print each tick and their health\n"
    "  cipher   encrypt|decrypt --plugin NAME --key-file FILE [--context ID]\n"
    "           [--field NAME] [--config FILE]\n"
    "           stdin to stdout through a cipher plugin\n"
    "  rekey    [--config FILE] [--data-dir DIR] [--master-key-file FILE] [--batch N]\n"
    "           re-encrypt stored secrets under the current key version\n"
    "  migrate  [--config FILE] [--data-dir DIR]\n"
    "           apply the store's pending migrations, print the schema version\n"
    "  audit    verify [--config FILE] [--data-dir DIR]\n"
    "           recompute the audit log's hash chain (exit 1 at a break)\n"
    "  cluster  status [--config FILE] [--json]\n"
    "           who owns each shard of a cluster of vigild, by the store's leases\n\n"
    "Without --config a command uses vigild's embedded default config, and\n"
    "--data-dir DIR points it at the store vigild --data-dir DIR uses.\n\n"
    "options:\n"
    "  --help, -h         this help\n"
    "  --version          the version and the plugin ABI\n\n"
    "exit codes: 0 success, 64 bad usage; each command's --help lists its own\n";

struct Command {
  const char* name;
  int (*run)(int, char**);
};

constexpr Command kCommands[] = {
    {"plugins", vigil::cli::plugins_command}, {"replay", vigil::cli::replay_command},
    {"cipher", vigil::cli::cipher_command},   {"rekey", vigil::cli::rekey_command},
    {"migrate", vigil::cli::migrate_command}, {"audit", vigil::cli::audit_command},
    {"cluster", vigil::cli::cluster_command}, {"feed-check", vigil::cli::feed_check_command},
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return std::fputs(kUsage, stderr), 64;
  std::string_view first = argv[1];
  if (first == "--help" || first == "-h") return std::printf("%s\n%s", kUsage, kDetails), 0;
  if (first == "--version")
    return std::printf("vigil %s (plugin ABI %s)\n", vigil::core::kVersion, vigil::core::kAbiVersion), 0;
  for (const Command& command : kCommands)
    if (first == command.name) return command.run(argc - 2, argv + 2);
  std::fprintf(stderr, "vigil: unknown command '%s'\n%s", argv[1], kUsage);
  return 64;
}
