#include "core/workflow/transitions.hpp"

namespace vigil::core {

PositionRow advanced(const PositionRow& row, PositionState to, int64_t now) {
  PositionRow next = touched(row, now);
  next.state = advance(row.state, to);
  return next;
}

CommandRow advanced(const CommandRow& row, CommandStatus to, int64_t now) {
  CommandRow next = touched(row, now);
  next.status = advance(row.status, to);
  return next;
}

PositionRow touched(const PositionRow& row, int64_t now) {
  PositionRow next = row;
  next.version += 1;
  next.updated_at = now;
  return next;
}

CommandRow touched(const CommandRow& row, int64_t now) {
  CommandRow next = row;
  next.version += 1;
  next.updated_at = now;
  return next;
}

}  // namespace vigil::core
