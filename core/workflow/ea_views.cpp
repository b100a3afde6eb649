#include "core/workflow/ea_views.hpp"

namespace vigil::core {
namespace {

const char* side_name(int32_t side) {
  return side == VIGIL_SIDE_SELL ? "sell" : "buy";
}

}  // namespace

nlohmann::json ea_position(const PositionRow& p) {
  nlohmann::json out = {{"position_id", p.id},       {"signal_id", p.signal_id}, {"instrument", p.instrument},
                        {"side", side_name(p.side)}, {"volume", p.volume},       {"created_at", p.created_at},
                        {"state", name(p.state)}};
  out["entry_price"] = p.entry_price.empty() ? nlohmann::json() : nlohmann::json(p.entry_price);
  return out;
}

nlohmann::json ea_command(const CommandRow& c, const PositionRow& p) {
  nlohmann::json out = {{"command_id", c.id},
                        {"position_id", c.position_id},
                        {"broker_ticket", p.broker_ticket},
                        {"instrument", p.instrument},
                        {"side", side_name(p.side)},
                        {"volume", c.volume.empty() ? p.filled_volume : c.volume},
                        {"reason", c.reason},
                        {"status", name(c.status)},
                        {"attempt", c.attempts + 1},
                        {"created_at", c.created_at}};
  out["expected_price"] = c.expected_price.empty() ? nlohmann::json() : nlohmann::json(c.expected_price);
  return out;
}

}  // namespace vigil::core
