// The admin operations of the workflow (CONTRACT.md section 3).
#include <nlohmann/json.hpp>

#include "core/support/log.hpp"
#include "core/workflow/amounts.hpp"
#include "core/workflow/api_error.hpp"
#include "core/workflow/body_limits.hpp"
#include "core/workflow/random_id.hpp"
#include "core/workflow/rule_states.hpp"
#include "core/workflow/transitions.hpp"
#include "core/workflow/workflow.hpp"

namespace vigil::core {
namespace {

std::string name_field(const RequestBody& body) {
  return body.required_string("name");
}

int32_t side_field(const RequestBody& body) {
  std::string side = body.required_string("side");
  if (side == "buy") return VIGIL_SIDE_BUY;
  if (side == "sell") return VIGIL_SIDE_SELL;
  throw invalid_field("side", "expected \"buy\" or \"sell\"");
}

std::string optional_price(const RequestBody& body, const char* field, int digits) {
  std::optional<int64_t> value = body.decimal(field, digits);
  if (value && *value <= 0) throw invalid_field(field, "must be greater than zero");
  return value ? sdk::format_decimal(*value, digits) : std::string();
}

nlohmann::json full_view(const PositionRow& p, const std::vector<CommandRow>& commands) {
  nlohmann::json out = {
      {"position_id", p.id},        {"signal_id", p.signal_id},   {"device_id", p.device_id},
      {"client_id", p.client_id},   {"instrument", p.instrument}, {"side", p.side == VIGIL_SIDE_SELL ? "sell" : "buy"},
      {"state", name(p.state)},     {"version", p.version},       {"volume", p.volume},
      {"created_at", p.created_at}, {"opened_at", p.opened_at},   {"closed_at", p.closed_at}};
  auto optional = [&](const char* key, const std::string& value) {
    out[key] = value.empty() ? nlohmann::json() : nlohmann::json(value);
  };
  optional("entry_price", p.entry_price);
  optional("owner_sl", p.owner_sl);
  optional("owner_tp", p.owner_tp);
  optional("execution_id", p.execution_id);
  optional("broker_ticket", p.broker_ticket);
  optional("actual_entry_price", p.actual_entry_price);
  optional("filled_volume", p.filled_volume);
  optional("close_price", p.close_price);
  optional("close_reason", p.close_reason);
  optional("error_message", p.error_message);
  // Where the rules stand (a trailing stop's best price, a ladder's next
  // step...): what a restart resumes from.
  std::map<std::string, std::string> states = rule_states_of(p);
  optional("catastrophe_sl", saved_catastrophe_stop(states).value_or(""));
  out["rule_states"] = states;
  nlohmann::json list = nlohmann::json::array();
  for (const CommandRow& c : commands) {
    if (c.position_id != p.id) continue;
    nlohmann::json command = {{"command_id", c.id},         {"reason", c.reason},
                              {"status", name(c.status)},   {"attempt", c.attempts + 1},
                              {"created_at", c.created_at}, {"executed_at", c.executed_at}};
    auto add = [&](const char* key, const std::string& value) {
      command[key] = value.empty() ? nlohmann::json() : nlohmann::json(value);
    };
    add("level", c.level);
    add("expected_price", c.expected_price);
    add("actual_close_price", c.actual_close_price);
    add("volume", c.volume);
    add("broker_deal", c.broker_deal);
    add("error_message", c.error_message);
    list.push_back(command);
  }
  out["close_commands"] = list;
  return out;
}

}  // namespace

std::string Workflow::create_client(const RequestBody& body) {
  ClientRow client{new_id("cl"), name_field(body), clock_()};
  WriteBatch batch;
  batch.insert(client).audit(client.created_at, "client", client.id, "created");
  ClientBook& book = book_for_client(client.id);
  return with_book(book, [&](int64_t, std::set<std::string>&) {
    commit_locked(book, batch);
    return nlohmann::json{{"client_id", client.id}}.dump();
  });
}

std::string Workflow::create_device(const std::string& client_id, const RequestBody& body) {
  if (store_.query<ClientRow>(client_id).empty()) throw not_found("client " + client_id);
  DeviceRow device{new_id("dev"), client_id, name_field(body), {}, true, clock_()};
  // The secret is shown once, here; the store keeps it encrypted with the
  // client's key and bound to its purpose.
  std::string secret = random_hex(32);
  device.secret_token = cipher_.encrypt(client_id, "device_secret", secret);
  WriteBatch batch;
  batch.insert(device).audit(device.created_at, "device", device.id, "created",
                             nlohmann::json{{"client_id", client_id}}.dump());
  ClientBook& book = book_for_client(client_id);
  return with_book(book, [&](int64_t, std::set<std::string>&) {
    commit_locked(book, batch);
    book.add_device(device, device.created_at);
    register_device(book, device, secret);
    return nlohmann::json{{"device_id", device.id}, {"device_secret", secret}}.dump();
  });
}

std::string Workflow::create_signal(const RequestBody& body) {
  std::string client_id = body.required_string("client_id");
  std::string symbol = body.required_string("instrument");
  std::optional<InstrumentId> instrument_id = instruments_.find(symbol);
  if (!instrument_id) throw invalid_field("instrument", "'" + symbol + "' is not a configured instrument");
  const Instrument& instrument = instruments_.get(*instrument_id);
  SignalRow signal;
  signal.id = new_id("sig");
  signal.client_id = client_id;
  signal.instrument = symbol;
  signal.side = side_field(body);
  int64_t volume = body.required_decimal("volume", kVolumeDigits);
  if (volume <= 0) throw invalid_field("volume", "must be greater than zero");
  signal.volume = format_volume(volume);
  signal.entry_price = optional_price(body, "entry_price", instrument.digits);
  signal.owner_sl = optional_price(body, "owner_sl", instrument.digits);
  signal.owner_tp = optional_price(body, "owner_tp", instrument.digits);
  nlohmann::json choice = nlohmann::json::object();  // what the signal asks of its positions' exits
  if (const nlohmann::json* rules = body.value("rules")) {
    if (!rules->is_object()) throw invalid_field("rules", "expected an object of rule name -> parameters");
    for (const auto& [name, params] : rules->items()) {
      // The name is echoed: cut, since only the body's size bounds it.
      std::string where = "rules." + utf8_prefix(name, body_limits::kWord);
      if (std::find(rule_names_.begin(), rule_names_.end(), name) == rule_names_.end())
        throw invalid_field(where, "no such rule is configured");
      if (!params.is_object()) throw invalid_field(where, "expected an object of parameters");
    }
    choice = *rules;
  }
  if (const nlohmann::json* wanted = body.value("catastrophe_stop"); wanted && !wanted->is_null()) {
    if (!wanted->is_boolean()) throw invalid_field("catastrophe_stop", "expected true or false");
    if (*wanted && signal.owner_sl.empty())
      throw invalid_field("catastrophe_stop", "needs owner_sl: its distance is a multiple of the hidden stop's");
    if (*wanted) choice[kCatastropheKey] = true;
  }
  signal.rules_json = choice.dump();
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
  if (const nlohmann::json* payload = body.value("payload"))
    signal.payload_token = cipher_.encrypt(client_id, "payload", payload->dump());

  ClientBook& book = book_for_client(client_id);
  return with_book(book, [&](int64_t, std::set<std::string>&) {
    WriteBatch batch;
    batch.insert(signal).audit(signal.created_at, "signal", signal.id, "created",
                               nlohmann::json{{"client_id", client_id}, {"instrument", symbol}}.dump());
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
      batch.insert(p).audit(p.created_at, "position", p.id, "pending", nlohmann::json{{"device_id", id}}.dump());
      created.push_back(std::move(live));
    }
    commit_locked(book, batch);
    nlohmann::json positions = nlohmann::json::array();
    for (LivePosition& live : created) {
      positions.push_back({{"position_id", live.row.id}, {"device_id", live.row.device_id}});
      book.add_position(std::move(live));
    }
    return nlohmann::json{{"signal_id", signal.id}, {"positions", positions}}.dump();
  });
}

std::string Workflow::get_position(const std::string& position_id) {
  std::vector<PositionRow> rows = store_.query<PositionRow>(position_id);
  if (rows.empty()) throw not_found("position " + position_id);
  return full_view(rows[0], store_.query<CommandRow>({}, rows[0].device_id)).dump();
}

std::string Workflow::close_position(const std::string& position_id, const RequestBody& body) {
  std::string reason = body.string("reason").value_or("manual");
  if (reason != "manual") throw invalid_field("reason", "expected \"manual\"");
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
        .audit(now, "command", command.id, "issued", nlohmann::json{{"reason", "manual"}}.dump())
        .audit(now, "position", moved.id, "closing", nlohmann::json{{"command_id", command.id}}.dump());
    commit_locked(book, batch);
    unwatch_locked(book, *live);
    book.update_position(*live, std::move(moved));
    book.put_command(command);
    woken.insert(command.device_id);
    ++commands_issued_;
    return nlohmann::json{{"command_id", command.id}}.dump();
  });
}

std::string Workflow::alerts() const {
  return nlohmann::json{{"overdue_commands", overdue_commands()}, {"silent_devices", silent_devices()}}.dump();
}

}  // namespace vigil::core
