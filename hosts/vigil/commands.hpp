// The subcommands of `vigil`, one file each. Each takes the arguments after
// the subcommand name and returns the process exit code.
#pragma once

namespace vigil::cli {

// vigil plugins --config FILE [--plugin PATH]...
int plugins_command(int argc, char** argv);
// vigil replay --config FILE --positions FILE --ticks FILE [--format csv|mt5] [--instrument SYM] [--digits SYM=N]...
int replay_command(int argc, char** argv);
// vigil cipher encrypt|decrypt --plugin NAME --key-file FILE [--context ID] [--field NAME] [--config FILE]
int cipher_command(int argc, char** argv);
// vigil rekey --config FILE [--batch N]
int rekey_command(int argc, char** argv);
// vigil migrate --config FILE
int migrate_command(int argc, char** argv);
// vigil audit verify --config FILE
int audit_command(int argc, char** argv);
// vigil cluster status --config FILE [--json]
int cluster_command(int argc, char** argv);
// vigil feed-check [--config FILE] [--seconds N] [--ticks N]
int feed_check_command(int argc, char** argv);

}  // namespace vigil::cli
