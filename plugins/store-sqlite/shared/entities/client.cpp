// clients: the accounts that send signals.
#include "fields.hpp"

namespace vigil::store {
namespace {

using R = vigil_store_client;
constexpr Field<R> kFields[] = {
    {"id", &R::id, true},
    {"name", &R::name},
    {"created_at", &R::created_at},
};

}  // namespace

Table client_table() {
  return bind_fields<R, kFields>({.entity = VIGIL_ENTITY_CLIENT,
                                  .name = "clients",
                                  .noun = "client",
                                  .order_by = "created_at, id"});
}

}  // namespace vigil::store
