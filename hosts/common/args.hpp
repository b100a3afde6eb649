// A small command-line reader for the `vigil` subcommands and `vigild`:
// `--name value` options, some repeatable, positional words, and errors that
// name the offending argument.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace vigil::host {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Args {
 public:
  // `options` lists the accepted --names (without dashes); `flags` those that
  // take no value. Throws UsageError on anything else.
  Args(int argc, char** argv, const std::vector<std::string>& options, const std::vector<std::string>& flags = {});

  std::optional<std::string> get(const std::string& name) const;
  std::string require(const std::string& name) const;
  std::vector<std::string> all(const std::string& name) const;
  bool has(const std::string& name) const { return values_.count(name) > 0; }
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
};

}  // namespace vigil::host
