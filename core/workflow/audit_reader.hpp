// Pages of the audit log for the operator (GET /api/v1/admin/audit), and
// whether the hash chain verifies up to the rows answered.
//
// Rows come from the store's own audit query (by seq, the primary key:
// an indexed range read). A page filtered by position reads the log from
// the cursor on in store pages and keeps the position's rows (its own and
// its close commands'), but reads at most kScanBudget rows per request: a
// page may then hold fewer rows than asked, and its next_cursor says where
// the next request goes on. The work of a request is bounded either way.
//
// The chain is checked incrementally: the reader remembers how far it has
// verified and continues from there up to the last row a page answers, so
// every row is checked once per process (the first request after a start
// reads the log up to its page once). A row verifies when its seq follows
// the previous one, its prev_hash is the previous row's hash and, when the
// host gave a hasher (the stores' SHA-256: core has no crypto), its hash is
// that of its content. The first break found is remembered for good.
//
// Threading: page() from any thread; the chain check runs under its own
// mutex (a slow store delays only other audit readers).
// Errors: StoreError from the store's query.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/workflow/records.hpp"
#include "core/workflow/store_port.hpp"

namespace vigil::core {

struct ChainStatus {
  bool verified = false;             // no break at or before the page's last row
  int64_t verified_through = 0;      // the last seq known good
  std::optional<int64_t> broken_at;  // the first row that does not verify
  std::string error;                 // why it does not
  bool hashes_recomputed = false;    // false: links checked, contents not (no hasher)
};

struct AuditPage {
  std::vector<AuditRow> items;
  std::optional<int64_t> next_after_seq;  // nullopt: nothing more now
  ChainStatus chain;
};

class AuditReader {
 public:
  static constexpr size_t kScanBudget = 10'000;
  // The hash of a row's content, as the stores compute it.
  using Hasher = std::function<std::string(const AuditRow&)>;

  // `store` must outlive the reader.
  explicit AuditReader(const StorePort& store) : store_(store) {}
  // Call before serving.
  void set_hasher(Hasher hasher) { hasher_ = std::move(hasher); }

  // Rows with seq > after_seq, at most `limit`; when `entity_ids` is given
  // only rows about those entities (a position and its commands).
  AuditPage page(int64_t after_seq, size_t limit, const std::optional<std::set<std::string>>& entity_ids);

 private:
  ChainStatus check_through(int64_t seq);
  void check_row(const AuditRow& row);

  const StorePort& store_;
  Hasher hasher_;
  std::mutex chain_mutex_;
  int64_t verified_through_ = 0;
  std::string last_hash_ = std::string(64, '0');
  std::optional<int64_t> broken_at_;
  std::string broken_why_;
};

}  // namespace vigil::core
