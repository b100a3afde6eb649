// The config a `vigil` command works on, found exactly as vigild finds its
// own, so that `vigil <command>` beside `vigild` with the same flags sees
// the same store and key:
//   --config FILE, else vigild's embedded default config;
//   --data-dir DIR applied to the store (hosts/common/data_dir.hpp); with
//     the embedded default and no --data-dir, ./vigil-data as vigild;
//   the master key from --master-key-file (for commands that accept it) or
//     the config's secrets.master_key_file, as the cipher's key file; with
//     the embedded default and neither (nor VIGIL_MASTER_KEY), the
//     <data dir>/master.key vigild made on its first start. It is never
//     created here: a command must not invent the key of existing secrets.
//
// Errors: ConfigError (the config, --data-dir or the master key naming its
// source), as vigild reports them.
#pragma once

#include "hosts/common/args.hpp"
#include "hosts/common/config.hpp"

namespace vigil::cli {

host::Config command_config(const host::Args& args);

}  // namespace vigil::cli
