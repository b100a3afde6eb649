// The one way a stored position or close command changes: the lifecycle
// (core/domain/lifecycle.hpp) must allow the move, else IllegalTransition
// and nothing changes; the version moves on by one (the store's optimistic
// check) and the row is stamped with the time. The caller writes the
// returned row in a batch and adopts it in memory only once it committed.
#pragma once

#include <cstdint>

#include "core/workflow/records.hpp"

namespace vigil::core {

PositionRow advanced(const PositionRow& row, PositionState to, int64_t now);
CommandRow advanced(const CommandRow& row, CommandStatus to, int64_t now);

// The same state with other fields changed (a partial close, saved rule
// states, a late result recorded on an expired command): a new version.
PositionRow touched(const PositionRow& row, int64_t now);
CommandRow touched(const CommandRow& row, int64_t now);

}  // namespace vigil::core
