// The admin operations of the workflow (docs/http-api.md).
#include <algorithm>

#include "core/support/log.hpp"
#include "core/support/utf8.hpp"
#include "core/workflow/amounts.hpp"
#include "core/workflow/api_error.hpp"
#include "core/workflow/audit_detail.hpp"
#include "core/workflow/body_limits.hpp"
#include "core/workflow/field_text.hpp"
#include "core/workflow/random_id.hpp"
#include "core/workflow/rule_states.hpp"
#include "core/workflow/transitions.hpp"
#include "core/workflow/workflow.hpp"

namespace vigil::core {
namespace {

std::string optional_price(const std::string& field, const Text& text, int digits) {
  std::optional<int64_t> value = decimal_field(field, text, digits);
  if (value && *value <= 0) throw invalid_field(field, "must be greater than zero");
  return value ? sdk::format_decimal(*value, digits) : std::string();
}

}  // namespace

std::string Workflow::create_client(const std::string& name) {
  ClientRow client{new_id("cl"), name, clock_()};
  WriteBatch batch;
  batch.insert(client).audit(client.created_at, "client", client.id, "created");
  ClientBook& book = book_for_client(client.id);
  return with_book(book, [&](int64_t, std::set<std::string>&) {
    commit_locked(book, batch);
    return client.id;
  });
}

DeviceAnswer Workflow::create_device(const std::string& client_id, const std::string& name) {
  if (store_.query<ClientRow>(client_id).empty()) throw not_found("client " + client_id);
  DeviceRow device{new_id("dev"), client_id, name, {}, true, clock_()};
  // The secret is shown once, here; the store keeps it encrypted with the
  // client's key and bound to its purpose.
  std::string secret = random_hex(32);
  device.secret_token = cipher_.encrypt(client_id, "device_secret", secret);
  WriteBatch batch;
  batch.insert(device).audit(device.created_at, "device", device.id, "created",
                             AuditDetail().text("client_id", client_id).json());
  ClientBook& book = book_for_client(client_id);
  return with_book(book, [&](int64_t, std::set<std::string>&) {
    commit_locked(book, batch);
    book.add_device(device, device.created_at);
    register_device(book, device, secret);
    return DeviceAnswer{device.id, secret};
  });
}

SignalAnswer Workflow::create_signal(const SignalRequest& request) {
  std::string client_id = required_text("client_id", request.client_id);
  std::string symbol = required_text("instrument", request.instrument);
  std::optional<InstrumentId> instrument_id = instruments_.find(symbol);
  if (!instrument_id) throw invalid_field("instrument", "'" + symbol + "' is not a configured instrument");
  const Instrument& instrument = instruments_.get(*instrument_id);
  SignalRow signal;
  signal.id = new_id("sig");
  signal.client_id = client_id;
  signal.instrument = symbol;
  signal.side = request.side;
  int64_t volume = required_decimal_field("volume", request.volume, kVolumeDigits);
  if (volume <= 0) throw invalid_field("volume", "must be greater than zero");
  signal.volume = format_volume(volume);
  signal.entry_price = optional_price("entry_price", request.entry_price, instrument.digits);
  signal.owner_sl = optional_price("owner_sl", request.owner_sl, instrument.digits);
  signal.owner_tp = optional_price("owner_tp", request.owner_tp, instrument.digits);
  for (const auto& [name, params] : request.rules)
    if (std::find(rule_names_.begin(), rule_names_.end(), name) == rule_names_.end())
      // The name is echoed: cut, since only the body's size bounds it.
      throw invalid_field("rules." + utf8_prefix(name, body_limits::kWord), "no such rule is configured");
  bool catastrophe_stop = request.catastrophe_stop.value_or(false);
  if (catastrophe_stop && signal.owner_sl.empty())
    throw invalid_field("catastrophe_stop", "needs owner_sl: its distance is a multiple of the hidden stop's");
  signal.rules_json = rule_choice_json(request.rules, catastrophe_stop);
  signal.created_at = clock_();

  // The rules judge the levels now, so a bad signal is refused here and
  // not when an EA has already opened it at its broker.
  std::shared_ptr<const std::string> rules_json = rules_of(signal.rules_json);
  LivePosition probe;
  probe.row.id = "signal";
  probe.row.instrument = symbol;
  probe.row.side = signal.side;
  probe.row.filled_volume = signal.volume;
  probe.row.actual_entry_price = signal.entry_price;
  probe.row.owner_sl = signal.owner_sl;
  probe.row.owner_tp = signal.owner_tp;
  probe.rules_json = rules_json;
  if (std::string why = engines_.validate(engine_position(probe)); !why.empty())
    throw ApiError(VIGIL_INVALID_ARGUMENT, "invalid_levels", why);

  if (store_.query<ClientRow>(client_id).empty()) throw not_found("client " + client_id);
  if (request.payload_json) signal.payload_token = cipher_.encrypt(client_id, "payload", *request.payload_json);

  ClientBook& book = book_for_client(client_id);
  return with_book(book, [&](int64_t, std::set<std::string>&) {
    WriteBatch batch;
    batch.insert(signal).audit(signal.created_at, "signal", signal.id, "created",
                               AuditDetail().text("client_id", client_id).text("instrument", symbol).json());
    std::vector<LivePosition> created;
    for (const auto& [id, device] : book.devices()) {
      if (!device.row.active) continue;
      LivePosition live;
      PositionRow& p = live.row;
      p.id = new_id("pos");
      p.signal_id = signal.id;
      p.device_id = id;
      p.client_id = client_id;
      p.instrument = symbol;
      p.side = signal.side;
      p.volume = signal.volume;
      p.entry_price = signal.entry_price;
      p.owner_sl = signal.owner_sl;
      p.owner_tp = signal.owner_tp;
      p.created_at = p.updated_at = signal.created_at;
      live.rules_json = rules_json;
      batch.insert(p).audit(p.created_at, "position", p.id, "pending", AuditDetail().text("device_id", id).json());
      created.push_back(std::move(live));
    }
    commit_locked(book, batch);
    SignalAnswer answer{signal.id, {}};
    for (LivePosition& live : created) {
      answer.positions.push_back({live.row.id, live.row.device_id});
      book.add_position(std::move(live));
    }
    return answer;
  });
}

// Read from the store: the operator sees ended positions too.
PositionView Workflow::get_position(const std::string& position_id) {
  std::vector<PositionRow> rows = store_.query<PositionRow>(position_id);
  if (rows.empty()) throw not_found("position " + position_id);
  PositionView view{std::move(rows[0]), {}, {}, {}};
  view.rule_states = rule_states_of(view.row);
  view.catastrophe_sl = saved_catastrophe_stop(view.rule_states);
  for (CommandRow& c : store_.query<CommandRow>({}, view.row.device_id))
    if (c.position_id == view.row.id) view.commands.push_back(std::move(c));
  return view;
}

std::string Workflow::close_position(const std::string& position_id) {
  std::vector<PositionRow> stored = store_.query<PositionRow>(position_id);
  if (stored.empty()) throw not_found("position " + position_id);
  ClientBook& book = book_for_client(stored[0].client_id);
  return with_book(book, [&](int64_t now, std::set<std::string>& woken) {
    LivePosition* live = book.position(position_id);
    if (!live)
      throw ApiError(VIGIL_CONFLICT, "position_not_open", "The position is already closed or was never opened.");
    if (live->row.state != PositionState::open)
      throw ApiError(VIGIL_CONFLICT, "position_not_open",
                     "The position is " + std::string(name(live->row.state)) + ", not open.");
    if (book.live_command_of(position_id))
      throw ApiError(VIGIL_CONFLICT, "close_in_progress", "A close command for this position is already live.");
    CommandRow basis;
    basis.reason = "manual";
    basis.expected_price = market_price(live->row);
    CommandRow command = new_command(live->row, basis, now);
    PositionRow moved = advanced(live->row, PositionState::closing, now);
    WriteBatch batch;
    batch.insert(command)
        .update(moved)
        .audit(now, "command", command.id, "issued", AuditDetail().text("reason", "manual").json())
        .audit(now, "position", moved.id, "closing", AuditDetail().text("command_id", command.id).json());
    commit_locked(book, batch);
    unwatch_locked(book, *live);
    book.update_position(*live, std::move(moved));
    book.put_command(command);
    book.wake_for(command.device_id, woken);
    ++commands_issued_;
    return command.id;
  });
}

Alerts Workflow::alerts() const {
  return {overdue_commands(), silent_devices(),
          engines_.failing_rules ? engines_.failing_rules() : std::vector<FailingRule>{}};
}

}  // namespace vigil::core
