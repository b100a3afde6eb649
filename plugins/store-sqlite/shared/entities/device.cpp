// devices: a client's MetaTrader terminals, each with its (encrypted) secret.
#include "fields.hpp"

namespace vigil::store {
namespace {

using R = vigil_store_device;
constexpr Field<R> kFields[] = {
    {"id", &R::id, true},
    {"client_id", &R::client_id, true},
    {"name", &R::name},
    {"secret_token", &R::secret_token, true},
    {"active", &R::active},
    {"created_at", &R::created_at},
};

void check(const Table& t, const void* record) {
  int32_t active = static_cast<const R*>(record)->active;
  if (active != 0 && active != 1)
    throw std::invalid_argument(std::string(t.name) + ": active must be 0 or 1, not " + std::to_string(active));
}

}  // namespace

Table device_table() {
  return bind_fields<R, kFields>({.entity = VIGIL_ENTITY_DEVICE,
                                  .name = "devices",
                                  .noun = "device",
                                  .order_by = "created_at, id",
                                  .owner_column = "client_id",
                                  .parents = {{"client_id", "clients", "client"}},
                                  .check = &check});
}

}  // namespace vigil::store
