#include "core/workflow/ea_views.hpp"

namespace vigil::core {

EaPosition ea_position(const PositionRow& p) {
  return {.position_id = p.id,
          .signal_id = p.signal_id,
          .instrument = p.instrument,
          .side = p.side,
          .volume = p.volume,
          .created_at = p.created_at,
          .state = p.state,
          .entry_price = p.entry_price};
}

EaCommand ea_command(const CommandRow& c, const PositionRow& p) {
  return {.command_id = c.id,
          .position_id = c.position_id,
          .broker_ticket = p.broker_ticket,
          .instrument = p.instrument,
          .side = p.side,
          .volume = c.volume.empty() ? p.filled_volume : c.volume,
          .reason = c.reason,
          .status = c.status,
          .attempt = c.attempts + 1,
          .created_at = c.created_at,
          .expected_price = c.expected_price};
}

}  // namespace vigil::core
