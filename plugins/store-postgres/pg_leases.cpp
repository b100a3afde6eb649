#include "pg_leases.hpp"

#include <stdexcept>
#include <string>

#include "vigil/cpp/error.hpp"
#include "write_check.hpp"

namespace vigil::store::postgres {
namespace {

// Far more than any deployment shards into, few enough that the lease table
// stays one page or two.
constexpr int32_t kMaxShards = 4096;
// Expired nonces forgotten per heartbeat: keeps a round cheap after a burst;
// heartbeats come every few seconds from every host.
constexpr int kForgetBatch = 1000;

const std::string kCountLeases = "SELECT count(*) FROM leases";
const std::string kCreateLeases =
    "INSERT INTO leases (shard, owner, epoch, expires_at, acquired_at) "
    "SELECT s, '', 0, now(), now() FROM generate_series(0, $1::integer - 1) AS s ON CONFLICT (shard) DO NOTHING";
const std::string kLockLeases =
    "SELECT shard FROM leases WHERE owner = $1 OR shard = ANY($2::integer[]) ORDER BY shard FOR UPDATE";
const std::string kRenew =
    "UPDATE leases SET expires_at = now() + $2::bigint * interval '1 millisecond' "
    "WHERE owner = $1 AND expires_at > now()";
const std::string kRelease =
    "UPDATE leases SET owner = '', expires_at = now() WHERE owner = $1 AND shard = ANY($2::integer[])";
const std::string kClaim =
    "UPDATE leases SET owner = $1, epoch = epoch + 1, expires_at = now() + $2::bigint * interval '1 millisecond', "
    "acquired_at = now() WHERE shard = ANY($3::integer[]) AND (owner = '' OR expires_at <= now())";
const std::string kSeen =
    "INSERT INTO hosts (id, address, seen_at) VALUES ($1, $2, now()) "
    "ON CONFLICT (id) DO UPDATE SET address = EXCLUDED.address, seen_at = EXCLUDED.seen_at";
const std::string kForgetNonces =
    "DELETE FROM nonces WHERE (device_id, nonce) IN (SELECT device_id, nonce FROM nonces "
    "WHERE expires_at < floor(extract(epoch FROM now()) * 1000)::bigint ORDER BY expires_at LIMIT " +
    std::to_string(kForgetBatch) + " FOR UPDATE SKIP LOCKED)";
const std::string kReadLeases =
    "SELECT shard, owner, epoch, floor(extract(epoch FROM expires_at - now()) * 1000)::bigint, "
    "CASE WHEN owner = '' THEN 0 ELSE floor(extract(epoch FROM now() - acquired_at) * 1000)::bigint END "
    "FROM leases ORDER BY shard";
const std::string kReadHosts =
    "SELECT id, address, floor(extract(epoch FROM now() - seen_at) * 1000)::bigint FROM hosts ORDER BY id";

std::string_view text(vigil_str s) {
  return s.data ? std::string_view(s.data, s.size) : std::string_view();
}

void check_shards(const int32_t* shards, size_t count, int32_t shard_count, const char* field) {
  if (count > 0 && !shards)
    throw std::invalid_argument(std::string(field) + " is null with a count of " + std::to_string(count));
  for (size_t i = 0; i < count; ++i)
    if (shards[i] < 0 || shards[i] >= shard_count)
      throw std::invalid_argument(std::string(field) + "[" + std::to_string(i) + "]: shard " +
                                  std::to_string(shards[i]) + " is outside 0.." + std::to_string(shard_count - 1));
}

// {1,2,3}: the integer[] parameter's text form.
std::string array_of(const int32_t* shards, size_t count) {
  std::string out = "{";
  for (size_t i = 0; i < count; ++i) out += (i ? "," : "") + std::to_string(shards[i]);
  return out + "}";
}

// Creates the rows on the first heartbeat; refuses another shard count.
// Two first heartbeats at once insert the same keys: the second waits for
// the first's commit and inserts nothing, then counts the first's rows.
void require_shard_count(Connection& c, pqxx::transaction_base& txn, const vigil_store_heartbeat& r) {
  int64_t stored = ResultRow(c.exec(txn, kCountLeases, {})[0]).integer(0);
  if (stored == 0 && r.host_id.size > 0) {
    c.exec(txn, kCreateLeases, {Value::of_integer(r.shard_count)});
    stored = ResultRow(c.exec(txn, kCountLeases, {})[0]).integer(0);
  }
  if (stored != 0 && stored != r.shard_count)
    throw sdk::Error(VIGIL_INVALID_ARGUMENT, "this database's cluster has " + std::to_string(stored) +
                                                 " shards; this host is configured with " +
                                                 std::to_string(r.shard_count));
}

void keep_leases(Connection& c, pqxx::transaction_base& txn, const vigil_store_heartbeat& r) {
  Value host = Value::of_text(text(r.host_id));
  Value lease_ms = Value::of_integer(r.lease_ms);
  std::string claim = array_of(r.claim, r.claim_count), release = array_of(r.release, r.release_count);
  c.exec(txn, kLockLeases, {host, Value::of_text(claim)});
  c.exec(txn, kRenew, {host, lease_ms});
  if (r.release_count > 0) c.exec(txn, kRelease, {host, Value::of_text(release)});
  if (r.claim_count > 0) c.exec(txn, kClaim, {host, lease_ms, Value::of_text(claim)});
  // An empty address is NULL to Value; the column holds ''.
  c.exec(txn, kSeen, {host, Value{Value::Kind::text, text(r.address), 0}});
  c.exec(txn, kForgetNonces, {});
}

void visit(const vigil_store_visitor& visitor, int32_t entity, const void* record) {
  vigil_status status = visitor.on_record(visitor.ctx, entity, record);
  if (status != VIGIL_OK)
    throw sdk::Error(status, "heartbeat: stopped by the visitor (status " + std::to_string(status) + ")");
}

vigil_str str(std::string_view s) {
  return {s.data(), s.size()};
}

}  // namespace

void check_heartbeat(const vigil_store_heartbeat& r) {
  if (r.struct_size < sizeof(vigil_store_heartbeat))
    throw std::invalid_argument("heartbeat: the request is from an incompatible host");
  if (r.shard_count < 1 || r.shard_count > kMaxShards)
    throw std::invalid_argument("heartbeat: shard_count " + std::to_string(r.shard_count) + " is outside 1.." +
                                std::to_string(kMaxShards));
  if ((r.host_id.size > 0 && !r.host_id.data) || !is_storable_text(text(r.host_id)))
    throw std::invalid_argument("heartbeat: host_id is not valid UTF-8 text without NUL bytes");
  if ((r.address.size > 0 && !r.address.data) || !is_storable_text(text(r.address)))
    throw std::invalid_argument("heartbeat: address is not valid UTF-8 text without NUL bytes");
  if (r.host_id.size > 0 && r.lease_ms < 1)
    throw std::invalid_argument("heartbeat: lease_ms " + std::to_string(r.lease_ms) + " is below 1");
  check_shards(r.claim, r.claim_count, r.shard_count, "heartbeat: claim");
  check_shards(r.release, r.release_count, r.shard_count, "heartbeat: release");
}

LeaseRound run_heartbeat(Connection& c, pqxx::transaction_base& txn, const vigil_store_heartbeat& r) {
  require_shard_count(c, txn, r);
  if (r.host_id.size > 0) keep_leases(c, txn, r);
  return {c.exec(txn, kReadLeases, {}), c.exec(txn, kReadHosts, {})};
}

void visit_round(const LeaseRound& round, const vigil_store_visitor& visitor) {
  for (const pqxx::row& row : round.leases) {
    const ResultRow r(row);
    vigil_store_lease lease{sizeof(vigil_store_lease),
                            static_cast<int32_t>(r.integer(0)),
                            str(r.text(1)),
                            r.integer(2),
                            r.integer(3),
                            r.integer(4)};
    visit(visitor, VIGIL_ENTITY_LEASE, &lease);
  }
  for (const pqxx::row& row : round.hosts) {
    const ResultRow r(row);
    vigil_store_host host{sizeof(vigil_store_host), str(r.text(0)), str(r.text(1)), r.integer(2)};
    visit(visitor, VIGIL_ENTITY_HOST, &host);
  }
}

}  // namespace vigil::store::postgres
