// What an EA may see of a position or a close command: built here and only
// here, from named fields. owner_sl, owner_tp, the signal payload and the
// level a command fired on are never read by these functions, so no
// EA-facing answer can carry them.
#pragma once

#include <nlohmann/json.hpp>

#include "core/workflow/records.hpp"

namespace vigil::core {

nlohmann::json ea_position(const PositionRow& position);
nlohmann::json ea_command(const CommandRow& command, const PositionRow& position);

}  // namespace vigil::core
