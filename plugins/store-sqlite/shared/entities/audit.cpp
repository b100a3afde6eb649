// audit_log: append-only. The store assigns seq, prev_hash and hash on
// append (apply_writes.cpp, audit_hash.hpp): what the record carries in them
// is ignored, so none of them is required.
#include "fields.hpp"

namespace vigil::store {
namespace {

using R = vigil_store_audit;
constexpr Field<R> kFields[] = {
    {"seq", &R::seq, false, true},
    {"at", &R::at},
    {"entity", &R::entity, true},
    {"entity_id", &R::entity_id, true},
    {"action", &R::action, true},
    {"detail_json", &R::detail_json},
    {"prev_hash", &R::prev_hash},
    {"hash", &R::hash},
};

}  // namespace

Table audit_table() {
  return bind_fields<R, kFields>({.entity = VIGIL_ENTITY_AUDIT,
                                  .name = "audit_log",
                                  .noun = "audit row",
                                  .order_by = "seq",
                                  .append_only = true});
}

}  // namespace vigil::store
