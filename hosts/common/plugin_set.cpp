#include "hosts/common/plugin_set.hpp"

#include "core/plugins/descriptor_check.hpp"

namespace vigil::host {

PluginSet::PluginSet(const Config& config, const std::vector<std::string>& extra) {
  for (const auto& reference : config.plugin_references()) add(reference, config.plugin_paths);
  for (const auto& reference : extra) add(reference, config.plugin_paths);
}

void PluginSet::add(const std::string& reference, const std::vector<std::filesystem::path>& search) {
  auto path = resolve_plugin(reference, search);
  for (const auto& loaded : plugins_)
    if (std::filesystem::weakly_canonical(loaded.path()) == std::filesystem::weakly_canonical(path)) return;
  LoadedPlugin plugin = load_plugin(path);
  for (const auto& loaded : plugins_)
    if (loaded.name() == plugin.name())
      throw PluginLoadError(path.string() + ": plugin name '" + plugin.name() + "' is already taken by " +
                            loaded.path().string());
  references_.push_back(reference);
  plugins_.push_back(std::move(plugin));
}

const LoadedPlugin& PluginSet::get(const std::string& reference) const {
  for (size_t i = 0; i < plugins_.size(); ++i)
    if (references_[i] == reference || plugins_[i].name() == reference) return plugins_[i];
  throw PluginLoadError(reference + ": plugin not loaded");
}

const void* PluginSet::vtable(const PluginChoice& choice, int32_t kind) const {
  const LoadedPlugin& plugin = get(choice.plugin);
  const void* vtable = plugin.vtable(kind);
  if (!vtable)
    throw PluginLoadError(plugin.path().string() + ": " + choice.where + " needs a " + core::kind_name(kind) +
                          " plugin, but '" + plugin.name() + "' provides only: " + plugin.kinds());
  return vtable;
}

}  // namespace vigil::host
