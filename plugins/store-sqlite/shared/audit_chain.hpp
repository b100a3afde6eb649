// The end of the audit chain while one transaction appends to it: read (and
// locked, WriteTarget::lock_audit_tip) at the first appended row, then
// advanced by each row. Both the statement-by-statement path (apply_writes)
// and store-postgres's batches chain rows through it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "apply_writes.hpp"

namespace vigil::store {

// What the store writes for one appended audit row, beside the record's
// own fields: the seq, prev_hash and hash it assigns.
struct ChainedAudit {
  int64_t seq = 0;
  std::string prev_hash, hash;
  // The append statement's parameters (every column, seq first): views of
  // `w`'s texts and of this row's hashes.
  std::vector<Value> params(const CheckedWrite& w) const;
};

class AuditChain {
 public:
  // Chains the audit write `w` after the chain's end, whatever seq and
  // hashes its record carried.
  ChainedAudit next(WriteTarget& target, const CheckedWrite& w);

 private:
  std::optional<WriteTarget::AuditTip> tip_;
};

}  // namespace vigil::store
