// The rows core keeps in the store, as owned C++ values, and their mapping
// to and from the store ABI's borrowed-string records (vigil/store.h).
// Prices and volumes are decimal text; times unix milliseconds, 0 = not yet.
#pragma once

#include <cstdint>
#include <string>

#include "core/domain/lifecycle.hpp"
#include "vigil/rule.h"
#include "vigil/store.h"

namespace vigil::core {

struct ClientRow {
  std::string id, name;
  int64_t created_at = 0;
};

struct DeviceRow {
  std::string id, client_id, name;
  std::string secret_token;  // the device secret, encrypted by the cipher
  bool active = true;
  int64_t created_at = 0;
};

struct SignalRow {
  std::string id, client_id, instrument;
  int32_t side = VIGIL_SIDE_BUY;
  std::string volume, entry_price, owner_sl, owner_tp, payload_token, rules_json;
  int64_t created_at = 0;
};

struct PositionRow {
  std::string id, signal_id, device_id, client_id, instrument;
  int32_t side = VIGIL_SIDE_BUY;
  PositionState state = PositionState::pending;
  int64_t version = 1;
  std::string volume, entry_price, owner_sl, owner_tp;
  std::string execution_id, broker_ticket, actual_entry_price, filled_volume;
  std::string close_price, close_reason, rule_state_json, error_message;
  int64_t created_at = 0, opened_at = 0, closed_at = 0, updated_at = 0;
};

struct CommandRow {
  std::string id, position_id, device_id, reason;
  std::string expected_price, level, volume;  // volume empty = all
  CommandStatus status = CommandStatus::pending;
  int64_t version = 1;
  std::string actual_close_price, broker_deal, error_message;
  int32_t attempts = 0;
  int64_t created_at = 0, executed_at = 0, updated_at = 0;
};

struct AuditRow {
  int64_t seq = 0, at = 0;
  std::string entity, entity_id, action, detail_json, prev_hash, hash;
};

struct MetaRow {
  std::string key, value;
};

// Not rows but guards a batch carries when hosts share the store
// (core/cluster): the lease its writer must still hold, a nonce to claim.
struct FenceRow {
  int32_t shard = 0;
  std::string owner;
  int64_t epoch = 0;
};

struct NonceRow {
  std::string device_id, nonce;
  int64_t claimed_at = 0, expires_at = 0;
};

// Borrowing views for the store ABI: valid while the row lives.
vigil_store_client to_store(const ClientRow& row);
vigil_store_device to_store(const DeviceRow& row);
vigil_store_signal to_store(const SignalRow& row);
vigil_store_position to_store(const PositionRow& row);
vigil_store_command to_store(const CommandRow& row);
vigil_store_audit to_store(const AuditRow& row);
vigil_store_meta to_store(const MetaRow& row);
vigil_store_fence to_store(const FenceRow& row);
vigil_store_nonce to_store(const NonceRow& row);

// Copies out of a store-owned record. A state or status the lifecycle does
// not know (a store written by something else) throws std::runtime_error
// naming the row: acting on a guess could close or open real money.
ClientRow from_store(const vigil_store_client& record);
DeviceRow from_store(const vigil_store_device& record);
SignalRow from_store(const vigil_store_signal& record);
PositionRow from_store(const vigil_store_position& record);
CommandRow from_store(const vigil_store_command& record);
AuditRow from_store(const vigil_store_audit& record);
MetaRow from_store(const vigil_store_meta& record);

}  // namespace vigil::core
