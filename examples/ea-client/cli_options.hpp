// The command line of vigil-ea. Bad input is a UsageError naming the flag;
// main() prints it and exits 64 (EX_USAGE).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "examples/ea-client/ea_api.hpp"
#include "examples/ea-client/simulated_broker.hpp"

namespace vigil::ea {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct CliOptions {
  std::string url;
  Credentials credentials;  // the secret read from --secret-file
  BrokerOptions broker;
  int wait_s = 10;
  bool once = false;
  bool trace = false;  // requests and answers to stderr
  bool help = false;
  bool version = false;
};

CliOptions parse_cli(const std::vector<std::string>& args);
extern const char* const kUsage;

}  // namespace vigil::ea
