#include "pg_group_guards.hpp"

#include <algorithm>
#include <string>

#include "vigil/cpp/error.hpp"

namespace vigil::store::postgres {
namespace {

// The lease's row as it stands (the latest version, locked), so a refusal
// can say who holds the shard now.
const std::string kFence = "SELECT owner, epoch, expires_at > now() FROM leases WHERE shard = $1 FOR SHARE";

// Claimed again only when the stored claim expired at this claim's time
// ($3, claimed_at): an unexpired one changes no row.
const std::string kClaimNonce =
    "INSERT INTO nonces (device_id, nonce, expires_at) VALUES ($1, $2, $4) "
    "ON CONFLICT (device_id, nonce) DO UPDATE SET expires_at = EXCLUDED.expires_at "
    "WHERE nonces.expires_at <= $3";

std::string holder(const pqxx::result& lease) {
  if (lease.empty()) return "the database has no such shard";
  const ResultRow row(lease[0]);
  if (row.text(0).empty()) return "nobody holds it";
  std::string now = "host " + std::string(row.text(0)) + " at epoch " + std::to_string(row.integer(1));
  return lease[0][2].as<bool>() ? now + " holds it" : now + " held it; the lease expired";
}

void check_fence(Connection& c, pqxx::transaction_base& txn, const FenceWrite& f) {
  pqxx::result lease = c.exec(txn, kFence, {Value::of_integer(f.shard)});
  if (!lease.empty()) {
    const ResultRow row(lease[0]);
    if (row.text(0) == f.owner && row.integer(1) == f.epoch && lease[0][2].as<bool>()) return;
  }
  throw sdk::Error(VIGIL_CONFLICT, "fenced: shard " + std::to_string(f.shard) + " is no longer held by host " +
                                       std::string(f.owner) + " at epoch " + std::to_string(f.epoch) + " (" +
                                       holder(lease) + ")");
}

void claim_nonce(Connection& c, pqxx::transaction_base& txn, const NonceWrite& n) {
  pqxx::result r = c.exec(txn, kClaimNonce,
                          {Value::of_text(n.device_id), Value::of_text(n.nonce), Value::of_integer(n.claimed_at),
                           Value::of_integer(n.expires_at)});
  if (r.affected_rows() == 0)
    throw sdk::Error(VIGIL_CONFLICT, "nonces: nonce " + std::string(n.nonce) + " of device " +
                                         std::string(n.device_id) + " already used (claimed until a later time)");
}

}  // namespace

void check_group_guards(Connection& connection, pqxx::transaction_base& txn, const ClusterWrites& cluster,
                        bool rows_follow) {
  // A group of nonces alone does not wait for the WAL's flush, which would
  // add a durable commit to every signed request (README: "Several hosts"). A database crash
  // may then forget the claims of its last moments (PostgreSQL flushes
  // within 3 x wal_writer_delay, 0.6 s by default): a request captured in
  // that instant could be replayed to another host within its timestamp
  // window. That is acceptable: the host that served it still knows the
  // nonce in memory, and what a request writes commits durably in its own
  // group, keyed by ids and versions, so a replay repeats a read or
  // conflicts.
  if (!rows_follow && cluster.fences.empty() && !cluster.nonces.empty()) txn.exec("SET LOCAL synchronous_commit = off");
  std::vector<FenceWrite> fences = cluster.fences;
  std::stable_sort(fences.begin(), fences.end(),
                   [](const FenceWrite& a, const FenceWrite& b) { return a.shard < b.shard; });
  for (const FenceWrite& f : fences) check_fence(connection, txn, f);
  for (const NonceWrite& n : cluster.nonces) claim_nonce(connection, txn, n);
}

}  // namespace vigil::store::postgres
