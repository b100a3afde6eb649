// Loading a built plugin in a test and giving its components a host: the
// real loader, the real host services, and an application API whose
// publish_tick records ticks (or answers what the test says).
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/plugins/component.hpp"
#include "core/plugins/host_services.hpp"
#include "hosts/common/plugin_loader.hpp"
#include "vigil/cpp/error.hpp"
#include "vigil/vigil.h"

namespace vigil::test {

inline std::filesystem::path built_plugin(std::string_view name) {
  return std::filesystem::path(VIGIL_PLUGIN_DIR) / (std::string(name) + ".so");
}

// A tick as received by the host, copied out of the borrowed views.
struct ReceivedTick {
  std::string instrument, bid, ask;
  int64_t time_unix_ms = 0;
  int64_t sequence = -1;
};

// An application API for feed tests. Thread-safe.
class RecordingApp {
 public:
  // Decides the host's answer to each tick: return VIGIL_OK, or a status and
  // fill `why`. Defaults to accepting every tick.
  std::function<vigil_status(const ReceivedTick&, std::string& why)> answer;

  RecordingApp() {
    table_.struct_size = sizeof(vigil_app);
    table_.ctx = this;
    table_.publish_tick = &RecordingApp::publish;
    table_.call = nullptr;
    table_.watch = nullptr;
    table_.unwatch = nullptr;
  }
  const vigil_app* table() const { return &table_; }
  std::vector<ReceivedTick> ticks() const {
    std::lock_guard lock(mutex_);
    return ticks_;
  }

 private:
  static vigil_status publish(void* ctx, const vigil_tick* t, vigil_error* error) {
    auto& self = *static_cast<RecordingApp*>(ctx);
    ReceivedTick tick{std::string(sdk::view(t->instrument)), std::string(sdk::view(t->bid)),
                      std::string(sdk::view(t->ask)), t->time_unix_ms, t->sequence};
    std::string why;
    vigil_status status = self.answer ? self.answer(tick, why) : VIGIL_OK;
    if (status != VIGIL_OK) {
      sdk::set_error(error, why);
      return status;
    }
    std::lock_guard lock(self.mutex_);
    self.ticks_.push_back(std::move(tick));
    return VIGIL_OK;
  }
  mutable std::mutex mutex_;
  std::vector<ReceivedTick> ticks_;
  vigil_app table_{};
};

// One loaded plugin plus what its components need to live.
class PluginHarness {
 public:
  explicit PluginHarness(std::string_view name, const vigil_app* app = nullptr)
      : plugin_(host::load_plugin(built_plugin(name))), services_(std::string(name), metrics_, app) {}

  // Creates the plugin's component of `Vtable`'s kind with these options.
  template <class Vtable>
  core::Component<Vtable> create(int32_t kind, std::string_view options_json = "{}") {
    auto* vtable = static_cast<const Vtable*>(plugin_.vtable(kind));
    if (!vtable) throw std::runtime_error(plugin_.name() + " has no component of kind " + std::to_string(kind));
    return core::Component<Vtable>(vtable, plugin_.name(), options_json, services_.table());
  }
  const host::LoadedPlugin& plugin() const { return plugin_; }
  core::Metrics& metrics() { return metrics_; }

 private:
  host::LoadedPlugin plugin_;
  core::Metrics metrics_;
  core::HostServices services_;
};

}  // namespace vigil::test
