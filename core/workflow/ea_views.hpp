// What an EA may see of a position or a close command: built here and only
// here, from named fields. owner_sl, owner_tp, the signal payload and the
// level a command fired on are never read by these functions, and the
// views (operations.hpp) have no field to hold them, so no EA-facing answer
// can carry them.
#pragma once

#include "core/workflow/operations.hpp"
#include "core/workflow/records.hpp"

namespace vigil::core {

EaPosition ea_position(const PositionRow& position);
EaCommand ea_command(const CommandRow& command, const PositionRow& position);

}  // namespace vigil::core
