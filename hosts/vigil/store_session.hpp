// The config's store, loaded alone (no rules, feeds or transport), for the
// commands that work on the database itself: migrate and audit verify.
#pragma once

#include <cstdint>
#include <string>

#include "core/plugins/component.hpp"
#include "core/support/metrics.hpp"
#include "hosts/common/component_factory.hpp"
#include "hosts/common/config.hpp"
#include "hosts/common/plugin_set.hpp"
#include "vigil/store.h"

namespace vigil::cli {

// For commands that read a store (audit verify, rekey): sets the store's
// option `create: false`, so that a missing database is an error naming
// it, never a new empty one that reads as a clean, empty history.
void existing_only(host::PluginChoice& store);

class StoreSession {
 public:
  // Loads the config's store plugin and creates the store. Throws
  // host::ConfigError when the config names no store, PluginLoadError or
  // core::ComponentError when it cannot be loaded or created. Unless
  // `create`, a store that does not exist yet is refused (existing_only).
  StoreSession(host::Config config, bool create);

  // Applies the pending migrations; returns the schema version reached.
  int64_t migrate();
  const vigil_store_vtable* vtable() const { return store_.vtable(); }
  void* instance() const { return store_.instance(); }
  const std::string& name() const { return store_.name(); }

 private:
  host::Config config_;
  host::PluginSet plugins_;
  core::Metrics metrics_;
  host::ComponentFactory factory_;
  core::Component<vigil_store_vtable> store_;
};

}  // namespace vigil::cli
