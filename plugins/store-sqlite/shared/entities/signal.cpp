// signals: what a client asked for; each becomes positions on its devices.
#include "fields.hpp"

namespace vigil::store {
namespace {

using R = vigil_store_signal;
constexpr Field<R> kFields[] = {
    {"id", &R::id, true},
    {"client_id", &R::client_id, true},
    {"instrument", &R::instrument, true},
    {"side", &R::side},
    {"volume", &R::volume, true},
    {"entry_price", &R::entry_price},
    {"owner_sl", &R::owner_sl},
    {"owner_tp", &R::owner_tp},
    {"payload_token", &R::payload_token},
    {"rules_json", &R::rules_json},
    {"created_at", &R::created_at},
};

void check(const Table& t, const void* record) { require_side(t, static_cast<const R*>(record)->side); }

}  // namespace

// A signal's owner is its client (store.h names owners for devices,
// positions and commands; this is the same idea one level up).
Table signal_table() {
  return bind_fields<R, kFields>({.entity = VIGIL_ENTITY_SIGNAL,
                                  .name = "signals",
                                  .noun = "signal",
                                  .order_by = "created_at, id",
                                  .owner_column = "client_id",
                                  .parents = {{"client_id", "clients", "client"}},
                                  .check = &check});
}

}  // namespace vigil::store
