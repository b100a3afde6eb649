// meta: core's key-value.
#include "fields.hpp"

namespace vigil::store {
namespace {

using R = vigil_store_meta;
constexpr Field<R> kFields[] = {
    {"key", &R::key, true},
    {"value", &R::value},
};

}  // namespace

Table meta_table() {
  return bind_fields<R, kFields>({.entity = VIGIL_ENTITY_META, .name = "meta", .noun = "key", .order_by = "key"});
}

}  // namespace vigil::store
