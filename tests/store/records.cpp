#include "records.hpp"

#include <sodium.h>

namespace vigil::test::store {

Client client(const std::string& id, int64_t created_at) { return {id, "Client " + id, created_at}; }

Device device(const std::string& id, const std::string& client_id, int64_t created_at) {
  return {id, client_id, "Terminal " + id, "v1.secret-token-of-" + id, 1, created_at};
}

Signal signal(const std::string& id, const std::string& client_id, int64_t created_at) {
  return {id,        client_id, "EURUSD", VIGIL_SIDE_BUY, "0.10", "1.10000", "1.09500", "1.11000", "v1.payload-" + id,
          R"({"rule-sltp":{}})", created_at};
}

Position position(const std::string& id, const std::string& signal_id, const std::string& device_id,
                  const std::string& client_id, int64_t created_at) {
  Position p;
  p.id = id;
  p.signal_id = signal_id;
  p.device_id = device_id;
  p.client_id = client_id;
  p.instrument = "EURUSD";
  p.side = VIGIL_SIDE_BUY;
  p.state = "open";
  p.version = 1;
  p.volume = "0.10";
  p.entry_price = "1.10000";
  p.owner_sl = "1.09500";
  p.owner_tp = "1.11000";
  p.execution_id = "exec-" + id;
  p.broker_ticket = "T-" + id;
  p.actual_entry_price = "1.10002";
  p.filled_volume = "0.10";
  p.rule_state_json = R"({"rule-sltp":""})";
  p.created_at = created_at;
  p.opened_at = created_at + 5;
  p.updated_at = created_at + 5;
  return p;
}

Command command(const std::string& id, const std::string& position_id, const std::string& device_id,
                int64_t created_at) {
  Command c;
  c.id = id;
  c.position_id = position_id;
  c.device_id = device_id;
  c.reason = "sl_hit";
  c.expected_price = "1.09498";
  c.level = "1.09500";
  c.volume = "0.10";
  c.status = "pending";
  c.version = 1;
  c.created_at = created_at;
  c.updated_at = created_at;
  return c;
}

Audit audit(const std::string& entity_id, const std::string& action, const std::string& prev_hash) {
  return {0, 3000, "position", entity_id, action, R"({"why":"test"})", prev_hash, "hash-" + entity_id + "-" + action};
}

Meta meta(const std::string& key, const std::string& value) { return {key, value}; }

std::string canonical_form(const Audit& row) {
  std::string out;
  for (const std::string& field : {std::to_string(row.seq), std::to_string(row.at), row.entity_name, row.entity_id,
                                   row.action, row.detail_json, row.prev_hash})
    out += std::to_string(field.size()) + ":" + field + "\n";
  return out;
}

std::string chain_hash(const Audit& row) {
  std::string text = canonical_form(row);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

}  // namespace vigil::test::store
