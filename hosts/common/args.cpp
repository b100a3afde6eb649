#include "hosts/common/args.hpp"

#include <algorithm>
#include <charconv>

namespace vigil::host {

Args::Args(int argc, char** argv, const std::vector<std::string>& options, const std::vector<std::string>& flags) {
  auto known = [](const std::vector<std::string>& list, const std::string& name) {
    return std::find(list.begin(), list.end(), name) != list.end();
  };
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-h") arg = "--help";
    if (arg.rfind("--", 0) != 0) {
      positional_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (name == "help" || known(flags, name)) {
      if (inline_value) throw UsageError("option --" + name + " takes no value");
      values_[name].push_back("true");
    } else if (known(options, name)) {
      if (inline_value) {
        values_[name].push_back(*inline_value);
      } else {
        if (i + 1 >= argc) throw UsageError("option --" + name + " needs a value");
        values_[name].push_back(argv[++i]);
      }
    } else {
      throw UsageError("unknown option " + arg);
    }
  }
}

std::optional<std::string> Args::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second.back();
}

std::string Args::require(const std::string& name) const {
  auto value = get(name);
  if (!value) throw UsageError("option --" + name + " is required");
  return *value;
}

std::optional<uint64_t> Args::number(const std::string& name, uint64_t min, uint64_t max) const {
  auto text = get(name);
  if (!text) return std::nullopt;
  uint64_t value = 0;
  const char* end = text->data() + text->size();
  auto [stop, error] = std::from_chars(text->data(), end, value);
  if (text->empty() || error != std::errc() || stop != end || value < min || value > max)
    throw UsageError("option --" + name + ": expected a whole number from " + std::to_string(min) + " to " +
                     std::to_string(max) + ", got '" + *text + "'");
  return value;
}

std::vector<std::string> Args::all(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

}  // namespace vigil::host
