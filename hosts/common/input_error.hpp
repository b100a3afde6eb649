// Bad input from a file or the command line: the message names the file,
// line and field ("positions.jsonl:3: field 'owner_sl': ..."); commands
// exit with code 2 on it (docs/cli.md).
#pragma once

#include <stdexcept>

namespace vigil::host {

class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace vigil::host
