// vigil audit verify [--config FILE] [--data-dir DIR]
//
// Reads the audit log of the config's store in seq order, through the
// store's own query (so it works on every store), and recomputes the chain
// with the stores' canonical form (audit_hash.hpp, documented in store.h):
// each row must carry the next seq, the previous row's hash as prev_hash (64
// '0' for the first) and the hash of its own content.
//   exit 0: "audit chain verified: N rows"
//   exit 1: "audit chain broken at seq S: <what does not match>" (the first)
//   exit 2: the store could not be loaded, migrated or read
// Like vigild at start, it first migrates the schema: a store serves
// queries only at its latest version. A store that does not exist (no
// SQLite file, a PostgreSQL database without the schema) is refused, exit
// 2: verifying an empty database just made would prove nothing.
#include <cstdio>
#include <optional>
#include <string>

#include "audit_hash.hpp"
#include "hosts/common/args.hpp"
#include "hosts/vigil/command_config.hpp"
#include "hosts/vigil/command_help.hpp"
#include "hosts/vigil/commands.hpp"
#include "hosts/vigil/store_session.hpp"
#include "vigil/cpp/error.hpp"

namespace vigil::cli {
namespace {

constexpr CommandHelp kHelp{"vigil audit", "usage: vigil audit verify [--config FILE] [--data-dir DIR]\n",
                            "verify reads the audit log of the config's store in seq order and recomputes\n"
                            "its hash chain: each row must carry the next seq, the previous row's hash as\n"
                            "prev_hash and the hash of its own content. Prints \"audit chain verified: N\n"
                            "rows\", or \"audit chain broken at seq S: <what>\" at the first break. A store\n"
                            "that does not exist is refused (vigil migrate creates one).\n\n"
                            "options:\n"
                            "  --config FILE      the config (default: vigild's embedded default)\n"
                            "  --data-dir DIR     the store's data directory, as vigild --data-dir (ignored,\n"
                            "                     with a warning, by store-postgres)\n"
                            "  --help, -h         this help\n\n"
                            "exit codes: 0 verified, 1 the chain is broken, 2 the store could not be\n"
                            "loaded, migrated or read (or the config is bad), 64 bad usage\n"};

constexpr int64_t kPage = 10000;  // rows per query: bounded memory on any log size

// Follows the chain row by row and remembers the first break.
class ChainCheck {
 public:
  void take(const vigil_store_audit& row) {
    last_seq_ = row.seq;
    ++rows_;
    if (broken_) return;
    std::string_view prev_hash = sdk::view(row.prev_hash), hash = sdk::view(row.hash);
    store::AuditFields fields{row.seq,
                              row.at,
                              sdk::view(row.entity),
                              sdk::view(row.entity_id),
                              sdk::view(row.action),
                              sdk::view(row.detail_json),
                              prev_hash};
    if (row.seq != expected_seq_)
      broken_ = break_at(row.seq, "expected seq " + std::to_string(expected_seq_) + " (rows are missing)");
    else if (prev_hash != expected_prev_)
      broken_ = break_at(row.seq, "prev_hash is not the hash of the row before");
    else if (hash != store::audit_hash(fields))
      broken_ = break_at(row.seq, "hash does not match the row's content");
    expected_seq_ = row.seq + 1;
    expected_prev_ = std::string(hash);
  }

  int64_t last_seq() const { return last_seq_; }
  int64_t rows() const { return rows_; }
  const std::optional<std::string>& broken() const { return broken_; }

 private:
  static std::string break_at(int64_t seq, const std::string& why) {
    return "audit chain broken at seq " + std::to_string(seq) + ": " + why;
  }
  int64_t expected_seq_ = 1;
  std::string expected_prev_{store::kAuditGenesisHash};
  int64_t last_seq_ = 0;
  int64_t rows_ = 0;
  std::optional<std::string> broken_;
};

vigil_status on_record(void* ctx, int32_t entity, const void* record) {
  if (entity != VIGIL_ENTITY_AUDIT) return VIGIL_INTERNAL;
  static_cast<ChainCheck*>(ctx)->take(*static_cast<const vigil_store_audit*>(record));
  return VIGIL_OK;
}

// Visits one page after `check.last_seq()`; returns whether it held any row.
bool read_page(const StoreSession& store, ChainCheck& check) {
  int64_t before = check.rows();
  vigil_store_query query{sizeof query, VIGIL_ENTITY_AUDIT, {}, {}, {}, check.last_seq(), kPage};
  vigil_store_visitor visitor{sizeof visitor, &check, &on_record};
  core::ErrorBuffer error;
  error.check(store.vtable()->query(store.instance(), &query, &visitor, error.get()), store.name());
  return check.rows() > before;
}

int verify(const host::Args& args) {
  StoreSession store(command_config(args), false);
  store.migrate();
  ChainCheck check;
  while (read_page(store, check)) {
  }
  if (check.broken()) {
    std::printf("%s\n", check.broken()->c_str());
    return 1;
  }
  std::printf("audit chain verified: %lld rows\n", static_cast<long long>(check.rows()));
  return 0;
}

}  // namespace

int audit_command(int argc, char** argv) {
  try {
    host::Args args(argc, argv, {"config", "data-dir"});
    if (args.wants_help()) return print_help(kHelp);
    if (args.positional().size() != 1 || args.positional()[0] != "verify")
      throw host::UsageError("expected the subcommand verify");
    return verify(args);
  } catch (const host::UsageError& e) {
    return usage_error(kHelp, e.what(), 64);
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "vigil audit: %s\n", e.what());
    return 2;
  }
}

}  // namespace vigil::cli
