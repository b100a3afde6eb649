// Test-side records: each owns its strings and hands out the C struct of
// store.h as views into them (valid while the record lives), and is built
// back from a C struct a store hands to a visitor. Defaults fill every
// field, so a round trip checks every column.
#pragma once

#include <cstdint>
#include <string>

#include "vigil/rule.h"
#include "vigil/store.h"

namespace vigil::test::store {

inline vigil_str s(const std::string& text) { return {text.data(), text.size()}; }
inline std::string t(vigil_str v) { return v.data ? std::string(v.data, v.size) : std::string(); }

struct Client {
  using C = vigil_store_client;
  static constexpr int32_t entity = VIGIL_ENTITY_CLIENT;
  std::string id{}, name{};
  int64_t created_at = 0;
  C c() const { return {sizeof(C), s(id), s(name), created_at}; }
  static Client from(const C& r) { return {t(r.id), t(r.name), r.created_at}; }
  bool operator==(const Client&) const = default;
};

struct Device {
  using C = vigil_store_device;
  static constexpr int32_t entity = VIGIL_ENTITY_DEVICE;
  std::string id{}, client_id{}, name{}, secret_token{};
  int32_t active = 1;
  int64_t created_at = 0;
  C c() const { return {sizeof(C), s(id), s(client_id), s(name), s(secret_token), active, created_at}; }
  static Device from(const C& r) {
    return {t(r.id), t(r.client_id), t(r.name), t(r.secret_token), r.active, r.created_at};
  }
  bool operator==(const Device&) const = default;
};

struct Signal {
  using C = vigil_store_signal;
  static constexpr int32_t entity = VIGIL_ENTITY_SIGNAL;
  std::string id{}, client_id{}, instrument{};
  int32_t side = VIGIL_SIDE_BUY;
  std::string volume{}, entry_price{}, owner_sl{}, owner_tp{}, payload_token{}, rules_json{};
  int64_t created_at = 0;
  C c() const {
    return {sizeof(C),      s(id),          s(client_id), s(instrument),       side,      s(volume),
            s(entry_price), s(owner_sl),    s(owner_tp),  s(payload_token),    s(rules_json), created_at};
  }
  static Signal from(const C& r) {
    return {t(r.id),       t(r.client_id), t(r.instrument),    r.side,          t(r.volume), t(r.entry_price),
            t(r.owner_sl), t(r.owner_tp),  t(r.payload_token), t(r.rules_json), r.created_at};
  }
  bool operator==(const Signal&) const = default;
};

struct Position {
  using C = vigil_store_position;
  static constexpr int32_t entity = VIGIL_ENTITY_POSITION;
  std::string id{}, signal_id{}, device_id{}, client_id{}, instrument{};
  int32_t side = VIGIL_SIDE_BUY;
  std::string state = "pending";
  int64_t version = 1;
  std::string volume{}, entry_price{}, owner_sl{}, owner_tp{}, execution_id{}, broker_ticket{}, actual_entry_price{}, filled_volume{}, close_price{}, close_reason{}, rule_state_json{}, error_message{};
  int64_t created_at = 0, opened_at = 0, closed_at = 0, updated_at = 0;
  C c() const {
    return {sizeof(C),        s(id),           s(signal_id),          s(device_id),       s(client_id),
            s(instrument),    side,            s(state),              version,            s(volume),
            s(entry_price),   s(owner_sl),     s(owner_tp),           s(execution_id),    s(broker_ticket),
            s(actual_entry_price), s(filled_volume), s(close_price),  s(close_reason),    s(rule_state_json),
            s(error_message), created_at,      opened_at,             closed_at,          updated_at};
  }
  static Position from(const C& r) {
    return {t(r.id),          t(r.signal_id),    t(r.device_id),          t(r.client_id),     t(r.instrument),
            r.side,           t(r.state),        r.version,               t(r.volume),        t(r.entry_price),
            t(r.owner_sl),    t(r.owner_tp),     t(r.execution_id),       t(r.broker_ticket), t(r.actual_entry_price),
            t(r.filled_volume), t(r.close_price), t(r.close_reason),      t(r.rule_state_json), t(r.error_message),
            r.created_at,     r.opened_at,       r.closed_at,             r.updated_at};
  }
  bool operator==(const Position&) const = default;
};

struct Command {
  using C = vigil_store_command;
  static constexpr int32_t entity = VIGIL_ENTITY_COMMAND;
  std::string id{}, position_id{}, device_id{}, reason{}, expected_price{}, level{}, volume{};
  std::string status = "pending";
  int64_t version = 1;
  std::string actual_close_price{}, broker_deal{}, error_message{};
  int32_t attempts = 0;
  int64_t created_at = 0, executed_at = 0, updated_at = 0;
  C c() const {
    return {sizeof(C),    s(id),        s(position_id),          s(device_id),     s(reason),
            s(expected_price), s(level), s(volume),              s(status),        version,
            s(actual_close_price), s(broker_deal), s(error_message), attempts,     created_at,
            executed_at,  updated_at};
  }
  static Command from(const C& r) {
    return {t(r.id),          t(r.position_id),        t(r.device_id),      t(r.reason),        t(r.expected_price),
            t(r.level),       t(r.volume),             t(r.status),         r.version,          t(r.actual_close_price),
            t(r.broker_deal), t(r.error_message),      r.attempts,          r.created_at,       r.executed_at,
            r.updated_at};
  }
  bool operator==(const Command&) const = default;
};

struct Audit {
  using C = vigil_store_audit;
  static constexpr int32_t entity = VIGIL_ENTITY_AUDIT;
  int64_t seq = 0, at = 0;
  std::string entity_name{}, entity_id{}, action{}, detail_json{}, prev_hash{}, hash{};
  C c() const {
    return {sizeof(C), seq, at, s(entity_name), s(entity_id), s(action), s(detail_json), s(prev_hash), s(hash)};
  }
  static Audit from(const C& r) {
    return {r.seq, r.at, t(r.entity), t(r.entity_id), t(r.action), t(r.detail_json), t(r.prev_hash), t(r.hash)};
  }
  bool operator==(const Audit&) const = default;
};

struct Meta {
  using C = vigil_store_meta;
  static constexpr int32_t entity = VIGIL_ENTITY_META;
  std::string key{}, value{};
  C c() const { return {sizeof(C), s(key), s(value)}; }
  static Meta from(const C& r) { return {t(r.key), t(r.value)}; }
  bool operator==(const Meta&) const = default;
};

// ABI 1.3: a group's guard and a signed request's claim (writes), and what
// a heartbeat visits.
struct Fence {
  using C = vigil_store_fence;
  static constexpr int32_t entity = VIGIL_ENTITY_FENCE;
  int32_t shard = 0;
  std::string owner{};
  int64_t epoch = 1;
  C c() const { return {sizeof(C), shard, s(owner), epoch}; }
};

struct Nonce {
  using C = vigil_store_nonce;
  static constexpr int32_t entity = VIGIL_ENTITY_NONCE;
  std::string device_id{}, nonce{};
  int64_t claimed_at = 0, expires_at = 0;
  C c() const { return {sizeof(C), s(device_id), s(nonce), claimed_at, expires_at}; }
};

struct Lease {
  using C = vigil_store_lease;
  static constexpr int32_t entity = VIGIL_ENTITY_LEASE;
  int32_t shard = 0;
  std::string owner{};
  int64_t epoch = 0, expires_in_ms = 0, held_for_ms = 0;
  static Lease from(const C& r) { return {r.shard, t(r.owner), r.epoch, r.expires_in_ms, r.held_for_ms}; }
};

struct HostSeen {
  using C = vigil_store_host;
  static constexpr int32_t entity = VIGIL_ENTITY_HOST;
  std::string id{}, address{};
  int64_t seen_ms_ago = 0;
  static HostSeen from(const C& r) { return {t(r.id), t(r.address), r.seen_ms_ago}; }
};

// Records with every field set, consistent with each other by id.
Client client(const std::string& id, int64_t created_at = 1000);
Device device(const std::string& id, const std::string& client_id, int64_t created_at = 1000);
Signal signal(const std::string& id, const std::string& client_id, int64_t created_at = 1000);
Position position(const std::string& id, const std::string& signal_id, const std::string& device_id,
                  const std::string& client_id, int64_t created_at = 1000);
Command command(const std::string& id, const std::string& position_id, const std::string& device_id,
                int64_t created_at = 2000);
Audit audit(const std::string& entity_id, const std::string& action, const std::string& prev_hash = "");
Meta meta(const std::string& key, const std::string& value);

// The audit chain as store.h defines it, written again here from the
// header's text (not shared with the stores) so that the tests check the
// stores against the documented form.
inline const std::string kGenesis(64, '0');
std::string canonical_form(const Audit& row);
std::string chain_hash(const Audit& row);  // lowercase hex SHA-256 of canonical_form

}  // namespace vigil::test::store
