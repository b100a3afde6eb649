#include "hosts/vigil/store_session.hpp"

#include <nlohmann/json.hpp>
#include <utility>

namespace vigil::cli {
namespace {

// Only the store's library is loaded: a rule or transport plugin that is
// missing on an ops machine must not stop a migration.
host::Config store_only(host::Config config, bool create) {
  if (!config.store) throw host::ConfigError(config.file.string() + ": the config names no store");
  if (!create) existing_only(*config.store);
  config.rules.clear();
  config.feeds.clear();
  config.extra_plugins.clear();
  config.cipher.reset();
  config.transport.reset();
  return config;
}

}  // namespace

void existing_only(host::PluginChoice& store) {
  nlohmann::json options = nlohmann::json::parse(store.options_json.empty() ? "{}" : store.options_json);
  options["create"] = false;
  store.options_json = options.dump();
}

StoreSession::StoreSession(host::Config config, bool create)
    : config_(store_only(std::move(config), create)),
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
