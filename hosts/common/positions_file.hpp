// Positions as JSON lines (docs/file-formats.md):
//   {"position_id","instrument","side":"buy"|"sell","volume","entry_price",
//    "owner_sl"?,"owner_tp"?,"opened_at"?,"rules"?}
// Prices and volumes as strings or numbers, read exactly; opened_at as
// ISO-8601 UTC or unix milliseconds. "rules" (an extension) gives per-rule
// parameters: {"rule-trailing": {"distance": "0.00100"}}. Blank lines are
// ignored; anything else
// that is wrong throws InputError naming file, line and field.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/domain/instruments.hpp"
#include "core/engine/engine.hpp"

namespace vigil::host {

struct PositionLine {
  int line = 0;
  core::NewPosition position;                      // key = index in the file, rules empty
  std::map<std::string, std::string> rule_params;  // rule plugin name -> params JSON
};

std::vector<PositionLine> read_positions_file(const std::filesystem::path& file, const core::Instruments& instruments);

}  // namespace vigil::host
