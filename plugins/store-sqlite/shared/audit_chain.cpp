#include "audit_chain.hpp"

#include "audit_hash.hpp"

namespace vigil::store {

std::vector<Value> ChainedAudit::params(const CheckedWrite& w) const {
  return {Value::of_integer(seq), w.column("at"),          w.column("entity"),        w.column("entity_id"),
          w.column("action"),     w.column("detail_json"), Value::of_text(prev_hash), Value::of_text(hash)};
}

ChainedAudit AuditChain::next(WriteTarget& target, const CheckedWrite& w) {
  if (!tip_) {
    tip_ = target.lock_audit_tip();
    if (tip_->seq == 0 || tip_->hash.empty()) tip_->hash = kAuditGenesisHash;
  }
  ChainedAudit row{tip_->seq + 1, tip_->hash, {}};
  row.hash = audit_hash({row.seq, w.column("at").integer, w.column("entity").text, w.column("entity_id").text,
                         w.column("action").text, w.column("detail_json").text, row.prev_hash});
  tip_ = WriteTarget::AuditTip{row.seq, row.hash};
  return row;
}

}  // namespace vigil::store
