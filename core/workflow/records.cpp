#include "core/workflow/records.hpp"

#include <stdexcept>

#include "vigil/cpp/error.hpp"

namespace vigil::core {
namespace {

using sdk::str;

std::string text(vigil_str s) {
  return std::string(sdk::view(s));
}

}  // namespace

vigil_store_client to_store(const ClientRow& r) {
  return {sizeof(vigil_store_client), str(r.id), str(r.name), r.created_at};
}

vigil_store_device to_store(const DeviceRow& r) {
  return {sizeof(vigil_store_device), str(r.id),        str(r.client_id), str(r.name),
          str(r.secret_token),        r.active ? 1 : 0, r.created_at};
}

vigil_store_signal to_store(const SignalRow& r) {
  return {sizeof(vigil_store_signal),
          str(r.id),
          str(r.client_id),
          str(r.instrument),
          r.side,
          str(r.volume),
          str(r.entry_price),
          str(r.owner_sl),
          str(r.owner_tp),
          str(r.payload_token),
          str(r.rules_json),
          r.created_at};
}

vigil_store_position to_store(const PositionRow& r) {
  return {sizeof(vigil_store_position),
          str(r.id),
          str(r.signal_id),
          str(r.device_id),
          str(r.client_id),
          str(r.instrument),
          r.side,
          str(name(r.state)),
          r.version,
          str(r.volume),
          str(r.entry_price),
          str(r.owner_sl),
          str(r.owner_tp),
          str(r.execution_id),
          str(r.broker_ticket),
          str(r.actual_entry_price),
          str(r.filled_volume),
          str(r.close_price),
          str(r.close_reason),
          str(r.rule_state_json),
          str(r.error_message),
          r.created_at,
          r.opened_at,
          r.closed_at,
          r.updated_at};
}

vigil_store_command to_store(const CommandRow& r) {
  return {sizeof(vigil_store_command),
          str(r.id),
          str(r.position_id),
          str(r.device_id),
          str(r.reason),
          str(r.expected_price),
          str(r.level),
          str(r.volume),
          str(name(r.status)),
          r.version,
          str(r.actual_close_price),
          str(r.broker_deal),
          str(r.error_message),
          r.attempts,
          r.created_at,
          r.executed_at,
          r.updated_at};
}

vigil_store_audit to_store(const AuditRow& r) {
  return {
      sizeof(vigil_store_audit), r.seq,      r.at, str(r.entity), str(r.entity_id), str(r.action), str(r.detail_json),
      str(r.prev_hash),          str(r.hash)};
}

vigil_store_meta to_store(const MetaRow& r) {
  return {sizeof(vigil_store_meta), str(r.key), str(r.value)};
}

vigil_store_fence to_store(const FenceRow& r) {
  return {sizeof(vigil_store_fence), r.shard, str(r.owner), r.epoch};
}

vigil_store_nonce to_store(const NonceRow& r) {
  return {sizeof(vigil_store_nonce), str(r.device_id), str(r.nonce), r.claimed_at, r.expires_at};
}

ClientRow from_store(const vigil_store_client& r) {
  return {text(r.id), text(r.name), r.created_at};
}

DeviceRow from_store(const vigil_store_device& r) {
  return {text(r.id), text(r.client_id), text(r.name), text(r.secret_token), r.active != 0, r.created_at};
}

SignalRow from_store(const vigil_store_signal& r) {
  return {text(r.id),
          text(r.client_id),
          text(r.instrument),
          r.side,
          text(r.volume),
          text(r.entry_price),
          text(r.owner_sl),
          text(r.owner_tp),
          text(r.payload_token),
          text(r.rules_json),
          r.created_at};
}

PositionRow from_store(const vigil_store_position& r) {
  PositionRow p;
  p.id = text(r.id);
  p.signal_id = text(r.signal_id);
  p.device_id = text(r.device_id);
  p.client_id = text(r.client_id);
  p.instrument = text(r.instrument);
  p.side = r.side;
  std::optional<PositionState> state = parse_position_state(sdk::view(r.state));
  if (!state) throw std::runtime_error("position " + p.id + ": unknown state '" + text(r.state) + "' in the store");
  p.state = *state;
  p.version = r.version;
  p.volume = text(r.volume);
  p.entry_price = text(r.entry_price);
  p.owner_sl = text(r.owner_sl);
  p.owner_tp = text(r.owner_tp);
  p.execution_id = text(r.execution_id);
  p.broker_ticket = text(r.broker_ticket);
  p.actual_entry_price = text(r.actual_entry_price);
  p.filled_volume = text(r.filled_volume);
  p.close_price = text(r.close_price);
  p.close_reason = text(r.close_reason);
  p.rule_state_json = text(r.rule_state_json);
  p.error_message = text(r.error_message);
  p.created_at = r.created_at;
  p.opened_at = r.opened_at;
  p.closed_at = r.closed_at;
  p.updated_at = r.updated_at;
  return p;
}

CommandRow from_store(const vigil_store_command& r) {
  CommandRow c;
  c.id = text(r.id);
  c.position_id = text(r.position_id);
  c.device_id = text(r.device_id);
  c.reason = text(r.reason);
  c.expected_price = text(r.expected_price);
  c.level = text(r.level);
  c.volume = text(r.volume);
  std::optional<CommandStatus> status = parse_command_status(sdk::view(r.status));
  if (!status)
    throw std::runtime_error("close command " + c.id + ": unknown status '" + text(r.status) + "' in the store");
  c.status = *status;
  c.version = r.version;
  c.actual_close_price = text(r.actual_close_price);
  c.broker_deal = text(r.broker_deal);
  c.error_message = text(r.error_message);
  c.attempts = r.attempts;
  c.created_at = r.created_at;
  c.executed_at = r.executed_at;
  c.updated_at = r.updated_at;
  return c;
}

AuditRow from_store(const vigil_store_audit& r) {
  return {r.seq,       r.at, text(r.entity), text(r.entity_id), text(r.action), text(r.detail_json), text(r.prev_hash),
          text(r.hash)};
}

MetaRow from_store(const vigil_store_meta& r) {
  return {text(r.key), text(r.value)};
}

}  // namespace vigil::core
