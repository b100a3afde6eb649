// positions: one per device and signal; hidden levels live in rule_state_json.
#include "fields.hpp"

namespace vigil::store {
namespace {

using R = vigil_store_position;
constexpr Field<R> kFields[] = {
    {"id", &R::id, true},
    {"signal_id", &R::signal_id, true},
    {"device_id", &R::device_id, true},
    {"client_id", &R::client_id, true},
    {"instrument", &R::instrument, true},
    {"side", &R::side},
    {"state", &R::state, true},
    {"version", &R::version},
    {"volume", &R::volume, true},
    {"entry_price", &R::entry_price},
    {"owner_sl", &R::owner_sl},
    {"owner_tp", &R::owner_tp},
    {"execution_id", &R::execution_id},
    {"broker_ticket", &R::broker_ticket},
    {"actual_entry_price", &R::actual_entry_price},
    {"filled_volume", &R::filled_volume},
    {"close_price", &R::close_price},
    {"close_reason", &R::close_reason},
    {"rule_state_json", &R::rule_state_json},
    {"error_message", &R::error_message},
    {"created_at", &R::created_at},
    {"opened_at", &R::opened_at},
    {"closed_at", &R::closed_at},
    {"updated_at", &R::updated_at},
};

void check(const Table& t, const void* record) {
  const R& r = *static_cast<const R*>(record);
  require_side(t, r.side);
  require_one_of(t, "state", sdk::view(r.state), t.states);
}

}  // namespace

Table position_table() {
  return bind_fields<R, kFields>(
      {.entity = VIGIL_ENTITY_POSITION,
       .name = "positions",
       .noun = "position",
       .order_by = "created_at, id",
       .owner_column = "device_id",
       .state_column = "state",
       .states = {"pending", "acknowledged", "open", "closing", "closed", "rejected"},
       .versioned = true,
       .parents = {{"signal_id", "signals", "signal"}, {"device_id", "devices", "device"}, {"client_id", "clients", "client"}},
       .stable_columns = {"signal_id", "device_id", "client_id", "created_at"},
       .check = &check});
}

}  // namespace vigil::store
