// Every plugin library one run needs, loaded up front: the host refuses to
// start (and serves nothing) if any one of them is unsound.
#pragma once

#include <string>
#include <vector>

#include "hosts/common/config.hpp"
#include "hosts/common/plugin_loader.hpp"

namespace vigil::host {

class PluginSet {
 public:
  // Loads the config's libraries plus `extra` (--plugin PATH), each once.
  // Throws PluginLoadError naming the file and the reason.
  PluginSet(const Config& config, const std::vector<std::string>& extra);

  const std::vector<LoadedPlugin>& plugins() const noexcept { return plugins_; }
  // The plugin a config reference names (by reference or plugin name).
  const LoadedPlugin& get(const std::string& reference) const;
  // The vtable of `kind` in the plugin `choice` names, or a clear error.
  const void* vtable(const PluginChoice& choice, int32_t kind) const;

 private:
  void add(const std::string& reference, const std::vector<std::filesystem::path>& search);
  std::vector<std::string> references_;
  std::vector<LoadedPlugin> plugins_;
};

}  // namespace vigil::host
