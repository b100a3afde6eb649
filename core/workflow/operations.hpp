// The workflow's operations as typed requests and answers. The EA and admin
// adapters (ea_api.cpp, admin_api.cpp) read these from JSON and write them
// back; the workflow itself neither parses nor formats a request.
//
// A field a caller may leave out is a `Text`: nullopt when absent or null,
// else the text as written (a number 1.1 is "1.1", never a double). Prices
// and volumes stay text here because only the workflow knows an
// instrument's digits; it parses them and names the field when it refuses
// one (field_text.hpp). Words with a fixed set of values (status, side,
// reason) are parsed into enums by the adapters.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/domain/lifecycle.hpp"
#include "core/engine/rule_failures.hpp"
#include "core/workflow/records.hpp"

namespace vigil::core {

using Text = std::optional<std::string>;

// ---- What an EA sees. Built only by ea_views.hpp, from named fields: a
// hidden level has no field here to be copied into.

struct EaPosition {
  std::string position_id, signal_id, instrument;
  int32_t side = VIGIL_SIDE_BUY;
  std::string volume;
  int64_t created_at = 0;
  PositionState state = PositionState::pending;
  std::string entry_price;  // "" for a market signal
};

struct EaCommand {
  std::string command_id, position_id, broker_ticket, instrument;
  int32_t side = VIGIL_SIDE_BUY;
  std::string volume, reason;
  CommandStatus status = CommandStatus::pending;
  int64_t attempt = 1;
  int64_t created_at = 0;
  std::string expected_price;  // "" when the market price was unknown
};

// ---- EA operations.

struct AckRequest {
  std::string position_id;
  PositionState result = PositionState::open;  // open: "executed"; rejected: "rejected"
  Text execution_id, broker_ticket, actual_entry_price, filled_volume, error_message;
};

struct Slippage {
  std::string price;  // signed, adverse positive
  int64_t points = 0;
};

struct AckAnswer {
  std::string position_id;
  PositionState state = PositionState::open;  // open or rejected
  // The rest only when open.
  std::string actual_entry_price, filled_volume, fill_ratio;
  std::optional<Slippage> slippage;           // nullopt for a market signal
  std::optional<std::string> catastrophe_sl;  // the one level an EA is told
};

struct CloseAckRequest {
  std::string command_id;
  CommandStatus result = CommandStatus::executed;  // executed or failed
  Text actual_close_price, broker_deal, error_message;
};

struct CloseAckAnswer {
  std::string command_id;
  CommandStatus status = CommandStatus::executed;
  PositionState position_state = PositionState::closed;
};

struct SnapshotAnswer {
  std::vector<std::string> closed_positions, unknown_tickets;
};

// ---- Admin operations.

struct SignalRequest {
  Text client_id, instrument, volume, entry_price, owner_sl, owner_tp;
  int32_t side = VIGIL_SIDE_BUY;
  // Rule name -> its parameters (a JSON object's text), in the order given;
  // the adapter has checked each is an object.
  std::vector<std::pair<std::string, std::string>> rules;
  std::optional<bool> catastrophe_stop;
  Text payload_json;  // any JSON value: stored encrypted, never read
};

struct CreatedPosition {
  std::string position_id, device_id;
};

struct SignalAnswer {
  std::string signal_id;
  std::vector<CreatedPosition> positions;
};

struct DeviceAnswer {
  std::string device_id, device_secret;  // the secret is shown once, here
};

// Everything the operator may see of a position, hidden levels included.
struct PositionView {
  PositionRow row;
  std::map<std::string, std::string> rule_states;  // where the rules stand
  std::optional<std::string> catastrophe_sl;
  std::vector<CommandRow> commands;  // the position's, oldest first
};

struct Alerts {
  std::vector<std::string> overdue_commands, silent_devices;
  std::vector<FailingRule> failing_rules;  // positions whose levels a failing rule leaves unfired
};

// A device as the operator's list shows it.
struct ListedDevice {
  DeviceRow row;          // its secret left out
  int64_t last_seen = 0;  // its last request since this server started; 0: none
};

// A close command as the operator's list shows it.
struct ListedCommand {
  CommandRow row;
  bool overdue = false;  // live and unfinished past the alert time
};

// Slippage in points, adverse positive (workflow_reports.cpp).
struct SlippageStats {
  int64_t count = 0, sum = 0, worst = INT64_MIN;
};

struct SlippageRow {
  std::string instrument, device_id;
  SlippageStats entry, close, gap;
};

}  // namespace vigil::core
