// vigil — the ops command line. See CONTRACT.md section 4.
#include <cstdio>
#include <cstring>
#include <string_view>

#include "hosts/vigil/commands.hpp"

namespace {

constexpr const char* kUsage =
    "usage: vigil <command> [options]\n"
    "commands:\n"
    "  plugins --config FILE [--plugin PATH]...   load and list every plugin\n"
    "  replay  --config FILE --positions FILE --ticks FILE [--format csv|mt5]\n"
    "          [--instrument SYM] [--digits SYM=N]...   closes recorded ticks would fire\n"
    "  cipher  encrypt|decrypt --plugin NAME --key-file FILE [--context ID] [--field NAME]\n"
    "          [--config FILE]   stdin to stdout through a cipher plugin\n"
    "  rekey   --config FILE [--batch N]   re-encrypt stored secrets under the current key\n"
    "  migrate --config FILE   apply the store's pending migrations, print the schema version\n"
    "  audit   verify --config FILE   recompute the audit log's hash chain (exit 1 at a break)\n";

struct Command {
  const char* name;
  int (*run)(int, char**);
};

constexpr Command kCommands[] = {
    {"plugins", vigil::cli::plugins_command},
    {"replay", vigil::cli::replay_command},
    {"cipher", vigil::cli::cipher_command},
    {"rekey", vigil::cli::rekey_command},
    {"migrate", vigil::cli::migrate_command},
    {"audit", vigil::cli::audit_command},
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string_view(argv[1]) == "--help" || std::string_view(argv[1]) == "-h") {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 64 : 0;
  }
  for (const Command& command : kCommands)
    if (std::string_view(argv[1]) == command.name) return command.run(argc - 2, argv + 2);
  std::fprintf(stderr, "vigil: unknown command '%s'\n%s", argv[1], kUsage);
  return 64;
}
