// What the workflow and cluster benchmarks share: a store plugin and
// cipher-sodium loaded as vigild loads them (the store migrated), and the
// clocks they time phases with. The including target defines
// VIGIL_PLUGIN_DIR, the build's plugin directory.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "core/plugins/component.hpp"
#include "core/plugins/host_services.hpp"
#include "core/support/metrics.hpp"
#include "hosts/common/plugin_loader.hpp"
#include "vigil/cipher.h"
#include "vigil/store.h"

namespace vigil::bench {

using Clock = std::chrono::steady_clock;

inline int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// `store` names the plugin's library (store-sqlite, store-postgres) and the
// component; `options` is its options' JSON.
class Components {
 public:
  Components(const std::string& store, const std::string& options)
      : store_plugin_(host::load_plugin(std::string(VIGIL_PLUGIN_DIR) + "/" + store + ".so")),
        cipher_plugin_(host::load_plugin(std::string(VIGIL_PLUGIN_DIR) + "/cipher-sodium.so")),
        store_services_(store, metrics_, nullptr),
        cipher_services_("cipher-sodium", metrics_, nullptr),
        store_(static_cast<const vigil_store_vtable*>(store_plugin_.vtable(VIGIL_KIND_STORE)), store, options,
               store_services_.table()),
        cipher_(static_cast<const vigil_cipher_vtable*>(cipher_plugin_.vtable(VIGIL_KIND_CIPHER)), "cipher-sodium",
                "{}", cipher_services_.table()) {
    core::ErrorBuffer error;
    int64_t version = 0;
    error.check(store_.vtable()->migrate(store_.instance(), &version, error.get()), store_.name());
  }
  const core::Component<vigil_store_vtable>& store() const { return store_; }
  const core::Component<vigil_cipher_vtable>& cipher() const { return cipher_; }

 private:
  host::LoadedPlugin store_plugin_, cipher_plugin_;
  core::Metrics metrics_;
  core::HostServices store_services_, cipher_services_;
  core::Component<vigil_store_vtable> store_;
  core::Component<vigil_cipher_vtable> cipher_;
};

}  // namespace vigil::bench
