// close_commands: what the EA is told to close. At most one live (pending or
// acknowledged) command per position: the schema's close_commands_one_live.
#include "fields.hpp"

namespace vigil::store {
namespace {

using R = vigil_store_command;
constexpr Field<R> kFields[] = {
    {"id", &R::id, true},
    {"position_id", &R::position_id, true},
    {"device_id", &R::device_id, true},
    {"reason", &R::reason, true},
    {"expected_price", &R::expected_price},
    {"level", &R::level},
    {"volume", &R::volume},
    {"status", &R::status, true},
    {"version", &R::version},
    {"actual_close_price", &R::actual_close_price},
    {"broker_deal", &R::broker_deal},
    {"error_message", &R::error_message},
    {"attempts", &R::attempts},
    {"created_at", &R::created_at},
    {"executed_at", &R::executed_at},
    {"updated_at", &R::updated_at},
};

void check(const Table& t, const void* record) {
  require_one_of(t, "status", sdk::view(static_cast<const R*>(record)->status), t.states);
}

}  // namespace

Table command_table() {
  return bind_fields<R, kFields>(
      {.entity = VIGIL_ENTITY_COMMAND,
       .name = "close_commands",
       .noun = "close command",
       .order_by = "created_at, id",
       .owner_column = "device_id",
       .state_column = "status",
       .states = {"pending", "acknowledged", "executed", "failed", "expired"},
       .versioned = true,
       .parents = {{"position_id", "positions", "position"}, {"device_id", "devices", "device"}},
       .stable_columns = {"position_id", "device_id", "created_at"},
       .unique_rules = {{"close_commands_one_live", "position_id", "position", "already has a live close command"}},
       .check = &check});
}

}  // namespace vigil::store
