// What a `vigil` command prints about itself: its usage line(s), and the
// whole help (usage, what it does, each option, exit codes) for --help.
// --help goes to stdout with exit 0, so it can be read with a pager and
// turned into the man page; a usage error goes to stderr with the usage
// lines only.
#pragma once

#include <cstdio>

namespace vigil::cli {

struct CommandHelp {
  const char* who;      // "vigil rekey": the prefix of every error line
  const char* usage;    // "usage: vigil rekey [--config FILE] ...\n"
  const char* details;  // the rest of --help: description, options, exit codes
};

// Prints the whole help on stdout; returns 0, the exit code of --help.
inline int print_help(const CommandHelp& help) {
  std::fputs(help.usage, stdout);
  std::fputs("\n", stdout);
  std::fputs(help.details, stdout);
  return 0;
}

// Prints "<who>: <message>" and the usage lines on stderr; returns `exit_code`.
inline int usage_error(const CommandHelp& help, const char* message, int exit_code) {
  std::fprintf(stderr, "%s: %s\n%s", help.who, message, help.usage);
  return exit_code;
}

}  // namespace vigil::cli
