// The operator's workflow operations (docs/http-api.md) between JSON
// and the workflow's typed requests and answers.
#include <nlohmann/json.hpp>

#include "core/workflow/api_error.hpp"
#include "core/workflow/api_json.hpp"
#include "core/workflow/body_limits.hpp"
#include "core/workflow/request_body.hpp"
#include "core/workflow/workflow_api.hpp"

namespace vigil::core {
namespace {

using nlohmann::json;

std::string param(const ApiCall& call, const char* name) {
  auto it = call.params.find(name);
  return it == call.params.end() ? std::string() : it->second.text;
}

int32_t side_field(const RequestBody& body) {
  std::string side = body.required_string("side");
  if (side == "buy") return VIGIL_SIDE_BUY;
  if (side == "sell") return VIGIL_SIDE_SELL;
  throw invalid_field("side", "expected \"buy\" or \"sell\"");
}

// The signal's "rules": an object of rule name -> an object of parameters.
std::vector<std::pair<std::string, std::string>> rules_field(const RequestBody& body) {
  std::vector<std::pair<std::string, std::string>> out;
  const json* rules = body.value("rules");
  if (!rules) return out;
  if (!rules->is_object()) throw invalid_field("rules", "expected an object of rule name -> parameters");
  for (const auto& [name, params] : rules->items()) {
    // The name is echoed: cut, since only the body's size bounds it.
    if (!params.is_object())
      throw invalid_field("rules." + utf8_prefix(name, body_limits::kWord), "expected an object of parameters");
    out.emplace_back(name, params.dump());
  }
  return out;
}

std::optional<bool> catastrophe_field(const RequestBody& body) {
  const json* wanted = body.value("catastrophe_stop");
  if (!wanted) return std::nullopt;
  if (!wanted->is_boolean()) throw invalid_field("catastrophe_stop", "expected true or false");
  return wanted->get<bool>();
}

json command_json(const CommandRow& c) {
  return {{"command_id", c.id},
          {"reason", c.reason},
          {"status", name(c.status)},
          {"attempt", c.attempts + 1},
          {"created_at", c.created_at},
          {"executed_at", c.executed_at},
          {"level", text_or_null(c.level)},
          {"expected_price", text_or_null(c.expected_price)},
          {"actual_close_price", text_or_null(c.actual_close_price)},
          {"volume", text_or_null(c.volume)},
          {"broker_deal", text_or_null(c.broker_deal)},
          {"error_message", text_or_null(c.error_message)}};
}

json position_json(const PositionView& view) {
  const PositionRow& p = view.row;
  json out = {{"position_id", p.id},
              {"signal_id", p.signal_id},
              {"device_id", p.device_id},
              {"client_id", p.client_id},
              {"instrument", p.instrument},
              {"side", side_word(p.side)},
              {"state", name(p.state)},
              {"version", p.version},
              {"volume", p.volume},
              {"created_at", p.created_at},
              {"opened_at", p.opened_at},
              {"closed_at", p.closed_at},
              {"entry_price", text_or_null(p.entry_price)},
              {"owner_sl", text_or_null(p.owner_sl)},
              {"owner_tp", text_or_null(p.owner_tp)},
              {"execution_id", text_or_null(p.execution_id)},
              {"broker_ticket", text_or_null(p.broker_ticket)},
              {"actual_entry_price", text_or_null(p.actual_entry_price)},
              {"filled_volume", text_or_null(p.filled_volume)},
              {"close_price", text_or_null(p.close_price)},
              {"close_reason", text_or_null(p.close_reason)},
              {"error_message", text_or_null(p.error_message)},
              {"catastrophe_sl", text_or_null(view.catastrophe_sl.value_or(""))},
              // Where the rules stand (a trailing stop's best price, a
              // ladder's next step...): what a restart resumes from.
              {"rule_states", view.rule_states}};
  json commands = json::array();
  for (const CommandRow& c : view.commands) commands.push_back(command_json(c));
  out["close_commands"] = std::move(commands);
  return out;
}

json stats_json(const SlippageStats& s) {
  if (s.count == 0) return nullptr;
  return {{"count", s.count},
          {"average_points", static_cast<double>(s.sum) / static_cast<double>(s.count)},
          {"worst_points", s.worst}};
}

std::string create_client(Workflow& workflow, const ApiCall& call) {
  RequestBody body(call.body, body_limits::kCreateClient);
  return json{{"client_id", workflow.create_client(body.required_string("name"))}}.dump();
}

std::string create_device(Workflow& workflow, const ApiCall& call) {
  RequestBody body(call.body, body_limits::kCreateDevice);
  DeviceAnswer a = workflow.create_device(param(call, "client_id"), body.required_string("name"));
  return json{{"device_id", a.device_id}, {"device_secret", a.device_secret}}.dump();
}

std::string create_signal(Workflow& workflow, const ApiCall& call) {
  RequestBody body(call.body, body_limits::kCreateSignal);
  SignalRequest request;
  request.client_id = body.string("client_id");
  request.instrument = body.string("instrument");
  request.side = side_field(body);
  request.volume = body.number_text("volume");
  request.entry_price = body.number_text("entry_price");
  request.owner_sl = body.number_text("owner_sl");
  request.owner_tp = body.number_text("owner_tp");
  request.rules = rules_field(body);
  request.catastrophe_stop = catastrophe_field(body);
  if (const json* payload = body.value("payload")) request.payload_json = payload->dump();
  SignalAnswer a = workflow.create_signal(request);
  json positions = json::array();
  for (const CreatedPosition& p : a.positions)
    positions.push_back({{"position_id", p.position_id}, {"device_id", p.device_id}});
  return json{{"signal_id", a.signal_id}, {"positions", std::move(positions)}}.dump();
}

std::string get_position(Workflow& workflow, const ApiCall& call) {
  return position_json(workflow.get_position(param(call, "position_id"))).dump();
}

std::string close_position(Workflow& workflow, const ApiCall& call) {
  RequestBody body(call.body.empty() ? "{}" : call.body, body_limits::kClosePosition);
  if (body.string("reason").value_or("manual") != "manual") throw invalid_field("reason", "expected \"manual\"");
  return json{{"command_id", workflow.close_position(param(call, "position_id"))}}.dump();
}

std::string alerts(Workflow& workflow, const ApiCall&) {
  Alerts a = workflow.alerts();
  json failing = json::array();
  for (const FailingRule& f : a.failing_rules)
    failing.push_back({{"position_id", f.position},
                       {"rule", f.rule},
                       {"failures", f.failures},
                       {"since", f.since_unix_ms},
                       {"error", f.error}});
  return json{{"overdue_commands", a.overdue_commands},
              {"silent_devices", a.silent_devices},
              {"failing_rules", std::move(failing)}}
      .dump();
}

std::string slippage_report(Workflow& workflow, const ApiCall&) {
  json rows = json::array();
  for (const SlippageRow& r : workflow.slippage_report())
    rows.push_back({{"instrument", r.instrument},
                    {"device_id", r.device_id},
                    {"entry", stats_json(r.entry)},
                    {"close", stats_json(r.close)},
                    {"gap", stats_json(r.gap)}});
  return json{{"rows", std::move(rows)}}.dump();
}

}  // namespace

const ApiOperations& admin_operations() {
  static const ApiOperations kOperations = {
      {"admin.create_client", create_client},    {"admin.create_device", create_device},
      {"admin.create_signal", create_signal},    {"admin.get_position", get_position},
      {"admin.close_position", close_position},  {"admin.alerts", alerts},
      {"admin.slippage_report", slippage_report}};
  return kOperations;
}

}  // namespace vigil::core
