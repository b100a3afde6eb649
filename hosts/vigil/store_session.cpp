#include "hosts/vigil/store_session.hpp"

namespace vigil::cli {
namespace {

// Only the store's library is loaded: a rule or transport plugin that is
// missing on an ops machine must not stop a migration.
host::Config store_only(host::Config config) {
  if (!config.store) throw host::ConfigError(config.file.string() + ": the config names no store");
  config.rules.clear();
  config.feeds.clear();
  config.extra_plugins.clear();
  config.cipher.reset();
  config.transport.reset();
  return config;
}

}  // namespace

StoreSession::StoreSession(const std::string& config_file)
    : config_(store_only(host::load_config(config_file))),
      plugins_(config_, {}),
      factory_(plugins_, metrics_),
      store_(factory_.create<vigil_store_vtable>(*config_.store, VIGIL_KIND_STORE)) {}

int64_t StoreSession::migrate() {
  core::ErrorBuffer error;
  int64_t version = 0;
  error.check(store_.vtable()->migrate(store_.instance(), &version, error.get()), store_.name());
  return version;
}

}  // namespace vigil::cli
