// The EA's operations (docs/http-api.md) between JSON and the
// workflow's typed requests and answers. The answers are written from the
// EA views (operations.hpp), which have no field for a hidden level.
#include <nlohmann/json.hpp>

#include "core/workflow/api_error.hpp"
#include "core/workflow/api_json.hpp"
#include "core/workflow/body_limits.hpp"
#include "core/workflow/request_body.hpp"
#include "core/workflow/workflow_api.hpp"

namespace vigil::core {
namespace {

using nlohmann::json;

json position_json(const EaPosition& p) {
  return {{"position_id", p.position_id}, {"signal_id", p.signal_id},
          {"instrument", p.instrument},   {"side", side_word(p.side)},
          {"volume", p.volume},           {"created_at", p.created_at},
          {"state", name(p.state)},       {"entry_price", text_or_null(p.entry_price)}};
}

json command_json(const EaCommand& c) {
  return {{"command_id", c.command_id},
          {"position_id", c.position_id},
          {"broker_ticket", c.broker_ticket},
          {"instrument", c.instrument},
          {"side", side_word(c.side)},
          {"volume", c.volume},
          {"reason", c.reason},
          {"status", name(c.status)},
          {"attempt", c.attempt},
          {"created_at", c.created_at},
          {"expected_price", text_or_null(c.expected_price)}};
}

json ack_json(const AckAnswer& a) {
  json out = {{"position_id", a.position_id}, {"state", name(a.state)}};
  if (a.state == PositionState::rejected) return out;
  out["actual_entry_price"] = a.actual_entry_price;
  out["filled_volume"] = a.filled_volume;
  out["fill_ratio"] = a.fill_ratio;
  out["slippage"] = a.slippage ? json{{"price", a.slippage->price}, {"points", a.slippage->points}} : json();
  if (a.catastrophe_sl) out["catastrophe_sl"] = *a.catastrophe_sl;
  return out;
}

// The ack's "status", as the state it asks for: executed opens, rejected rejects.
PositionState ack_result(const RequestBody& body) {
  std::string status = body.required_string("status");
  if (status == "executed") return PositionState::open;
  if (status == "rejected") return PositionState::rejected;
  throw invalid_field("status", "expected \"executed\" or \"rejected\"");
}

// The close-ack's "status", as the command status it reports.
CommandStatus close_ack_result(const RequestBody& body) {
  std::string status = body.required_string("status");
  if (status == "executed") return CommandStatus::executed;
  if (status == "failed") return CommandStatus::failed;
  throw invalid_field("status", "expected \"executed\" or \"failed\"");
}

std::string device(const ApiCall& call) {
  return std::string(call.principal);
}

std::string poll(Workflow& workflow, const ApiCall& call) {
  json list = json::array();
  for (const EaPosition& p : workflow.poll(device(call))) list.push_back(position_json(p));
  return json{{"positions", std::move(list)}}.dump();
}

std::string ack(Workflow& workflow, const ApiCall& call) {
  RequestBody body(call.body, body_limits::kAck);
  AckRequest request{.position_id = body.required_string("position_id"),
                     .result = ack_result(body),
                     .execution_id = body.string("execution_id"),
                     .broker_ticket = body.string("broker_ticket"),
                     .actual_entry_price = body.number_text("actual_entry_price"),
                     .filled_volume = body.number_text("filled_volume"),
                     .error_message = body.string("error_message")};
  return ack_json(workflow.ack(device(call), request)).dump();
}

std::string close_commands(Workflow& workflow, const ApiCall& call) {
  json list = json::array();
  for (const EaCommand& c : workflow.close_commands(device(call))) list.push_back(command_json(c));
  return json{{"commands", std::move(list)}}.dump();
}

std::string close_ack(Workflow& workflow, const ApiCall& call) {
  RequestBody body(call.body, body_limits::kCloseAck);
  CloseAckRequest request{.command_id = body.required_string("command_id"),
                          .result = close_ack_result(body),
                          .actual_close_price = body.number_text("actual_close_price"),
                          .broker_deal = body.string("broker_deal"),
                          .error_message = body.string("error_message")};
  CloseAckAnswer a = workflow.close_ack(device(call), request);
  return json{{"command_id", a.command_id}, {"status", name(a.status)}, {"position_state", name(a.position_state)}}
      .dump();
}

std::string positions_snapshot(Workflow& workflow, const ApiCall& call) {
  RequestBody body(call.body, body_limits::kPositionsSnapshot);
  SnapshotAnswer a = workflow.positions_snapshot(device(call), body.required_string_array("tickets"));
  return json{{"closed_positions", a.closed_positions}, {"unknown_tickets", a.unknown_tickets}}.dump();
}

}  // namespace

const ApiOperations& ea_operations() {
  static const ApiOperations kOperations = {{"client.poll", poll},
                                            {"client.ack", ack},
                                            {"client.close_commands", close_commands},
                                            {"client.close_ack", close_ack},
                                            {"client.positions_snapshot", positions_snapshot}};
  return kOperations;
}

}  // namespace vigil::core
