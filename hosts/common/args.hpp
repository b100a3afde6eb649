// A small command-line reader for the `vigil` subcommands and `vigild`:
// `--name value` (or `--name=value`) options, some repeatable, flags,
// positional words, and errors that name the offending argument and what it
// expects. `--help` and `-h` are always accepted, as the flag "help", so
// every command can answer them before checking anything else.
//
// Errors: UsageError, whose message names the option ("unknown option
// --confg", "option --batch: expected a whole number from 1 to 100000, got
// 'abc'"); the caller prints it with its usage line and exits 64.
#pragma once

#include <cstdint>
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
  bool wants_help() const { return has("help"); }
  const std::vector<std::string>& positional() const { return positional_; }

  // The value of --name as a whole number in [min, max], nullopt when the
  // option is absent; anything else (a sign, a fraction, trailing text, out
  // of range) is a UsageError naming the option and the range.
  std::optional<uint64_t> number(const std::string& name, uint64_t min, uint64_t max) const;

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
};

}  // namespace vigil::host
