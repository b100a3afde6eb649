#include "hosts/common/plugin_loader.hpp"

#include <system_error>

#include "core/plugins/descriptor_check.hpp"

namespace vigil::host {
namespace {

// Boost.DLL wraps dlerror()'s text as "...(dlerror system message: FILE:
// REASON): <errno junk>"; keep REASON.
std::string loader_message(const std::system_error& e, const std::filesystem::path& file) {
  std::string text = e.what();
  const std::string marker = "dlerror system message: ";
  auto at = text.find(marker);
  auto close = text.rfind(')');
  if (at != std::string::npos && close != std::string::npos && close > at)
    text = text.substr(at + marker.size(), close - at - marker.size());
  const std::string prefix = file.string() + ": ";
  if (text.rfind(prefix, 0) == 0) text.erase(0, prefix.size());
  if (text.find("ELF") != std::string::npos || text.find("too short") != std::string::npos)
    return "not a shared library (" + text + ")";
  return "cannot be loaded: " + text;
}

}  // namespace

const void* LoadedPlugin::vtable(int32_t kind) const noexcept {
  return core::find_vtable(*descriptor_, kind);
}

std::string LoadedPlugin::kinds() const {
  std::string out;
  for (size_t i = 0; i < descriptor_->component_count; ++i) {
    if (!out.empty()) out += ", ";
    out += core::kind_name(descriptor_->components[i].kind);
  }
  return out;
}

LoadedPlugin load_plugin(const std::filesystem::path& file) {
  std::string where = file.string() + ": ";
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) throw PluginLoadError(where + "no such file");
  if (!std::filesystem::is_regular_file(file, ec)) throw PluginLoadError(where + "not a regular file");
  boost::dll::shared_library library;
  try {
    library.load(file, boost::dll::load_mode::rtld_local | boost::dll::load_mode::rtld_now);
  } catch (const std::system_error& e) {
    throw PluginLoadError(where + loader_message(e, file));
  }
  if (!library.has(VIGIL_ENTRY_SYMBOL))
    throw PluginLoadError(where + "not a Vigil plugin: no entry symbol " VIGIL_ENTRY_SYMBOL);
  auto entry = library.get<const vigil_plugin*()>(VIGIL_ENTRY_SYMBOL);
  const vigil_plugin* descriptor = entry();
  if (auto why = core::refusal_reason(descriptor)) throw PluginLoadError(where + *why);
  return LoadedPlugin(file, std::move(library), descriptor);
}

std::filesystem::path resolve_plugin(std::string_view reference,
                                     const std::vector<std::filesystem::path>& search_paths) {
  std::filesystem::path as_given(reference);
  bool is_path = reference.find('/') != std::string_view::npos || as_given.extension() == ".so";
  if (is_path) return as_given;
  std::string file_name = std::string(reference) + ".so";
  for (const auto& dir : search_paths) {
    std::error_code ec;
    if (std::filesystem::exists(dir / file_name, ec)) return dir / file_name;
  }
  std::string searched;
  for (const auto& dir : search_paths) searched += (searched.empty() ? "" : ", ") + dir.string();
  throw PluginLoadError(file_name + ": no such plugin in the plugin paths (" +
                        (searched.empty() ? "none configured" : searched) + ")");
}

}  // namespace vigil::host
