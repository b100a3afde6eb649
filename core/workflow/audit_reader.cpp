#include "core/workflow/audit_reader.hpp"

#include <algorithm>

namespace vigil::core {
namespace {

constexpr int64_t kStorePage = 1000;  // rows a store query reads at once

}  // namespace

AuditPage AuditReader::page(int64_t after_seq, size_t limit, const std::optional<std::set<std::string>>& entity_ids) {
  AuditPage out;
  size_t scanned = 0;
  int64_t at = after_seq;
  bool ended = false;
  while (out.items.size() < limit && scanned < kScanBudget) {
    // Unfiltered, one row past the page says whether more follow.
    int64_t want = entity_ids ? kStorePage : static_cast<int64_t>(limit - out.items.size()) + 1;
    want = std::min<int64_t>(want, static_cast<int64_t>(kScanBudget - scanned));
    std::vector<AuditRow> rows = store_.audit_after(at, want);
    if (rows.empty()) {
      ended = true;
      break;
    }
    size_t consumed = 0;
    for (AuditRow& row : rows) {
      if (out.items.size() == limit) break;
      ++consumed;
      at = row.seq;
      if (!entity_ids || entity_ids->count(row.entity_id)) out.items.push_back(std::move(row));
    }
    scanned += consumed;
    // A short read consumed whole is the log's end.
    if (static_cast<int64_t>(rows.size()) < want && consumed == rows.size()) {
      ended = true;
      break;
    }
  }
  if (!ended) out.next_after_seq = at;
  out.chain = check_through(out.items.empty() ? at : out.items.back().seq);
  return out;
}

ChainStatus AuditReader::check_through(int64_t seq) {
  std::lock_guard lock(chain_mutex_);
  while (!broken_at_ && verified_through_ < seq) {
    std::vector<AuditRow> rows = store_.audit_after(verified_through_, std::min(kStorePage, seq - verified_through_));
    if (rows.empty()) break;
    for (const AuditRow& row : rows) {
      check_row(row);
      if (broken_at_) break;
    }
  }
  ChainStatus status;
  status.verified_through = verified_through_;
  status.broken_at = broken_at_;
  status.error = broken_why_;
  status.verified = !broken_at_ || *broken_at_ > seq;
  status.hashes_recomputed = static_cast<bool>(hasher_);
  return status;
}

void AuditReader::check_row(const AuditRow& row) {
  auto broken = [&](const std::string& why) {
    broken_at_ = row.seq;
    broken_why_ = why;
  };
  if (row.seq != verified_through_ + 1)
    return broken("expected seq " + std::to_string(verified_through_ + 1) + " (rows are missing)");
  if (row.prev_hash != last_hash_) return broken("prev_hash is not the hash of the row before");
  if (hasher_ && hasher_(row) != row.hash) return broken("hash does not match the row's content");
  verified_through_ = row.seq;
  last_hash_ = row.hash;
}

}  // namespace vigil::core
