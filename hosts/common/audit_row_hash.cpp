#include "hosts/common/audit_row_hash.hpp"

#include "audit_hash.hpp"

namespace vigil::host {

std::string audit_row_hash(const core::AuditRow& row) {
  return store::audit_hash({row.seq, row.at, row.entity, row.entity_id, row.action, row.detail_json, row.prev_hash});
}

}  // namespace vigil::host
