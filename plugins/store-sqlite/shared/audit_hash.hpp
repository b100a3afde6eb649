// The audit chain's one definition, shared by both stores (which compute it
// inside the append transaction) and by `vigil audit verify` (which
// recomputes it): the canonical form of a row and its SHA-256. store.h's
// vigil_store_audit documents the same form for anyone verifying outside.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vigil::store {

// What a row's hash covers. Text views borrow the caller's data.
struct AuditFields {
  int64_t seq = 0;
  int64_t at = 0;
  std::string_view entity, entity_id, action, detail_json, prev_hash;
};

// The prev_hash of the first row: 64 '0' characters.
inline constexpr std::string_view kAuditGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// For each of seq, at, entity, entity_id, action, detail_json, prev_hash in
// that order: the field's byte length in decimal, ':', its bytes, '\n'.
// Length prefixes make the form unambiguous whatever the fields contain.
std::string audit_canonical_form(const AuditFields& row);

// Lowercase hex SHA-256 of audit_canonical_form(row).
std::string audit_hash(const AuditFields& row);

}  // namespace vigil::store
