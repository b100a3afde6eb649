// Creates the component a config choice names, giving each its own
// host-services table (so its logs and metrics carry its name). The factory
// owns those tables: create it before, and destroy it after, the components.
// Every table's wall clock is `clock`, which must outlive the factory.
#pragma once

#include <memory>
#include <vector>

#include "core/domain/instruments.hpp"
#include "core/plugins/component.hpp"
#include "core/plugins/host_services.hpp"
#include "hosts/common/config.hpp"
#include "hosts/common/plugin_set.hpp"

namespace vigil::host {

class ComponentFactory {
 public:
  ComponentFactory(const PluginSet& plugins, core::Metrics& metrics, const core::Clock& clock = core::wall_clock())
      : plugins_(plugins), metrics_(metrics), clock_(clock) {}

  // Throws PluginLoadError (wrong kind) or core::ComponentError (create failed).
  template <class Vtable>
  core::Component<Vtable> create(const PluginChoice& choice, int32_t kind, const vigil_app* app = nullptr) {
    auto* vtable = static_cast<const Vtable*>(plugins_.vtable(choice, kind));
    std::string name = plugins_.get(choice.plugin).name();
    services_.push_back(std::make_unique<core::HostServices>(name, metrics_, app, clock_));
    return core::Component<Vtable>(vtable, choice.where + " (" + name + ")", choice.options_json,
                                   services_.back()->table());
  }

 private:
  const PluginSet& plugins_;
  core::Metrics& metrics_;
  const core::Clock& clock_;
  std::vector<std::unique_ptr<core::HostServices>> services_;
};

// The config's instruments, then each "SYM=N" override (--digits).
core::Instruments instruments_from(const Config& config, const std::vector<std::string>& overrides = {});

}  // namespace vigil::host
