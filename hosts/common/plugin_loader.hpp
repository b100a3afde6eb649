// Loading plugin libraries with Boost.DLL and refusing the unsound ones
// before any of their code runs beyond the entry symbol.
//
// Every refusal is a PluginLoadError whose text is one line:
//   "<file>: <reason>"
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#ifndef BOOST_DLL_USE_STD_FS
#define BOOST_DLL_USE_STD_FS
#endif
#include <boost/dll/shared_library.hpp>

#include "vigil/abi.h"

namespace vigil::host {

class PluginLoadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A loaded, validated plugin library. Components created from it must be
// destroyed before it (it is never unloaded while they live).
class LoadedPlugin {
 public:
  LoadedPlugin(std::filesystem::path path, boost::dll::shared_library library, const vigil_plugin* descriptor)
      : path_(std::move(path)), library_(std::move(library)), descriptor_(descriptor) {}

  const std::filesystem::path& path() const noexcept { return path_; }
  const vigil_plugin& descriptor() const noexcept { return *descriptor_; }
  std::string name() const { return descriptor_->name; }
  // The vtable for `kind` (e.g. VIGIL_KIND_RULE), or nullptr.
  const void* vtable(int32_t kind) const noexcept;
  // "rule, feed"
  std::string kinds() const;

 private:
  std::filesystem::path path_;
  boost::dll::shared_library library_;
  const vigil_plugin* descriptor_;
};

// Loads one library file (rtld_local | rtld_now) and validates it.
LoadedPlugin load_plugin(const std::filesystem::path& file);

// Resolves a plugin reference from a config or a command line: a path (it
// contains '/' or ends in ".so") is taken as it is; a bare name `x` is
// looked up as `x.so` in each search directory in order.
std::filesystem::path resolve_plugin(std::string_view reference,
                                     const std::vector<std::filesystem::path>& search_paths);

}  // namespace vigil::host
