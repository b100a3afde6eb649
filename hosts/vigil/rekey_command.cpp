// vigil rekey [--config FILE] [--data-dir DIR] [--master-key-file FILE] [--batch N]
//
// After a key rotation (a new master key version made current in the
// cipher's options), re-encrypts every stored device secret and signal
// payload that is not yet under the current key version, in batches of N
// rows per store transaction, printing progress. Resumable by design: a row
// already under the current version is skipped, so after an interruption
// the same command simply carries on. Old key versions must stay configured
// until it has finished. A store that does not exist is refused.
#include <cstdio>
#include <string>
#include <vector>

#include "core/support/metrics.hpp"
#include "core/workflow/cipher_port.hpp"
#include "core/workflow/store_port.hpp"
#include "hosts/common/args.hpp"
#include "hosts/common/component_factory.hpp"
#include "hosts/common/config.hpp"
#include "hosts/common/plugin_set.hpp"
#include "hosts/vigil/command_config.hpp"
#include "hosts/vigil/command_help.hpp"
#include "hosts/vigil/commands.hpp"
#include "hosts/vigil/store_session.hpp"

namespace vigil::cli {
namespace {

constexpr CommandHelp kHelp{
    "vigil rekey", "usage: vigil rekey [--config FILE] [--data-dir DIR] [--master-key-file FILE] [--batch N]\n",
    "Re-encrypts every stored device secret and signal payload that is not under\n"
    "the cipher's current key version, N rows per store transaction, printing\n"
    "progress. Resumable: rows already current are skipped. Keep the old key\n"
    "versions configured until it has finished. A store that does not exist is\n"
    "refused.\n\n"
    "options:\n"
    "  --config FILE      the config (default: vigild's embedded default)\n"
    "  --data-dir DIR     the store's data directory, as vigild --data-dir (ignored,\n"
    "                     with a warning, by store-postgres)\n"
    "  --master-key-file FILE  the cipher's master key, as vigild --master-key-file\n"
    "                     (default: the config's secrets.master_key_file)\n"
    "  --batch N          rows per transaction, 1 to 100000 (default 500)\n"
    "  --help, -h         this help\n\n"
    "exit codes: 0 done, 1 failed (store, cipher or config), 64 bad usage\n"};

struct Progress {
  const char* what;
  size_t total = 0, rekeyed = 0, current = 0;
  void print() const {
    std::printf("rekey: %s %zu/%zu re-encrypted, %zu already current\n", what, rekeyed, total - current, current);
    std::fflush(stdout);
  }
};

// Re-encrypts rows of one kind: `token` reads a row's token and `client`
// its client id; `set` stores the new token in a copy.
template <class Row, class Token, class Client>
void rekey_rows(const core::StorePort& store, const core::CipherPort& cipher, std::vector<Row> rows, const char* field,
                size_t batch_size, Progress& progress, Token token, Client client) {
  uint32_t current = cipher.current_key_version();
  progress.total = rows.size();
  core::WriteBatch batch;
  for (Row& row : rows) {
    std::string& text = token(row);
    if (text.empty() || cipher.key_version(text) == current) {
      ++progress.current;
      continue;
    }
    text = cipher.encrypt(client(row), field, cipher.decrypt(client(row), field, text));
    batch.update(row);
    if (batch.size() == batch_size) {
      store.apply(batch);
      progress.rekeyed += batch.size();
      progress.print();
      batch = core::WriteBatch();
    }
  }
  store.apply(batch);
  progress.rekeyed += batch.size();
  progress.print();
}

int run(const host::Args& args) {
  size_t batch_size = args.number("batch", 1, 100000).value_or(500);
  if (!args.positional().empty()) throw host::UsageError("unexpected argument '" + args.positional()[0] + "'");
  host::Config config = command_config(args);
  if (!config.store || !config.cipher) throw host::ConfigError("rekey needs the config's store and cipher sections");
  existing_only(*config.store);
  host::PluginSet plugins(config, {});
  core::Metrics metrics;
  host::ComponentFactory factory(plugins, metrics);
  auto store_component = factory.create<vigil_store_vtable>(*config.store, VIGIL_KIND_STORE);
  auto cipher_component = factory.create<vigil_cipher_vtable>(*config.cipher, VIGIL_KIND_CIPHER);
  core::ErrorBuffer error;
  int64_t version = 0;
  error.check(store_component.vtable()->migrate(store_component.instance(), &version, error.get()),
              store_component.name());
  core::StorePort store(store_component);
  core::CipherPort cipher(cipher_component);
  std::printf("rekey: current key version %u\n", cipher.current_key_version());
  Progress devices{"device secrets"}, payloads{"signal payloads"};
  rekey_rows(
      store, cipher, store.query<core::DeviceRow>(), "device_secret", batch_size, devices,
      [](core::DeviceRow& d) -> std::string& { return d.secret_token; },
      [](const core::DeviceRow& d) { return d.client_id; });
  rekey_rows(
      store, cipher, store.query<core::SignalRow>(), "payload", batch_size, payloads,
      [](core::SignalRow& s) -> std::string& { return s.payload_token; },
      [](const core::SignalRow& s) { return s.client_id; });
  std::printf("rekey: done\n");
  return 0;
}

}  // namespace

int rekey_command(int argc, char** argv) {
  try {
    host::Args args(argc, argv, {"config", "data-dir", "master-key-file", "batch"});
    if (args.wants_help()) return print_help(kHelp);
    return run(args);
  } catch (const host::UsageError& e) {
    return usage_error(kHelp, e.what(), 64);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil rekey: %s\n", e.what());
    return 1;
  }
}

}  // namespace vigil::cli
