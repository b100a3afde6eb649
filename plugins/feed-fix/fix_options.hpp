// The options of feed-fix, read from the config's JSON.
#pragma once

#include <string>
#include <vector>

#include "fix_session.hpp"

namespace vigil::fixfeed {

struct Symbol {
  std::string instrument;  // Vigil's name (`symbol` in the config)
  std::string fix_symbol;  // the counterparty's (`fix_symbol`, default: the same)
};

struct Options {
  SessionConfig session;  // session.fix_symbols follows `symbols`
  std::vector<Symbol> symbols;
};

// Throws std::invalid_argument naming the option that is wrong.
Options parse_options(const std::string& json);

}  // namespace vigil::fixfeed
