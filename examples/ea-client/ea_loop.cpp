#include "examples/ea-client/ea_loop.hpp"

#include "examples/ea-client/json_log.hpp"

namespace vigil::ea {
namespace {

std::string text(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

void EaLoop::run_once() {
  take_positions();
  take_close_commands();
}

bool EaLoop::accepted(const ApiAnswer& answer, const std::string& call) {
  if (answer.ok()) return true;
  if (answer.status == 0 && stopping_) throw TransientFailure(call + ": stopped");
  log_action("error", {{"call", call}, {"status", answer.status}, {"detail", answer.describe()}});
  if (answer.status == 401) throw AuthRefused(call + ": " + answer.describe());
  if (answer.status == 0 || answer.status == 429 || answer.status >= 500)
    throw TransientFailure(call + ": " + answer.describe());
  return false;
}

void EaLoop::take_positions() {
  ApiAnswer answer = api_.poll();
  if (!accepted(answer, "poll")) return;
  for (const auto& position : answer.json.value("positions", nlohmann::json::array())) execute_position(position);
}

void EaLoop::execute_position(const nlohmann::json& position) {
  std::string id = text(position, "position_id");
  nlohmann::json log = {{"position_id", id},
                        {"instrument", text(position, "instrument")},
                        {"side", text(position, "side")},
                        {"volume", text(position, "volume")},
                        {"entry_price", position.value("entry_price", nlohmann::json())}};
  if (auto known = acks_.find(id); known != acks_.end()) return send_ack(id, known->second, log, true);
  Fill fill = broker_.open(text(position, "side"), text(position, "volume"), text(position, "entry_price"));
  nlohmann::json body = {{"position_id", id}};
  if (fill.executed) {
    body.update({{"status", "executed"},
                 {"execution_id", "sim-" + fill.ticket},
                 {"broker_ticket", fill.ticket},
                 {"actual_entry_price", fill.price},
                 {"filled_volume", fill.volume}});
  } else {
    body.update({{"status", "rejected"}, {"error_message", fill.error}});
  }
  acks_[id] = body;  // before sending: the trade happened whatever the network does
  send_ack(id, body, log, false);
}

void EaLoop::send_ack(const std::string& position_id, const nlohmann::json& body, nlohmann::json log, bool resent) {
  ApiAnswer answer = api_.ack(body);
  log.update(body);
  log["resent"] = resent;
  log["http_status"] = answer.status;
  if (answer.ok()) {
    log.update({{"state", answer.json.value("state", "")},
                {"slippage", answer.json.value("slippage", nlohmann::json())},
                {"fill_ratio", answer.json.value("fill_ratio", nlohmann::json())}});
    // The hard stop to place at the broker, when the signal asked for one.
    if (answer.json.contains("catastrophe_sl")) log["catastrophe_sl"] = answer.json["catastrophe_sl"];
  }
  log_action("open", log);
  accepted(answer, "ack " + position_id);
}

void EaLoop::take_close_commands() {
  ApiAnswer answer = api_.close_commands(wait_s_);
  if (!accepted(answer, "close-commands")) return;
  for (const auto& command : answer.json.value("commands", nlohmann::json::array())) execute_command(command);
}

void EaLoop::execute_command(const nlohmann::json& command) {
  std::string id = text(command, "command_id");
  nlohmann::json log = {{"command_id", id},
                        {"position_id", text(command, "position_id")},
                        {"reason", text(command, "reason")},
                        {"attempt", command.value("attempt", nlohmann::json())},
                        {"expected_price", text(command, "expected_price")}};
  if (auto known = close_acks_.find(id); known != close_acks_.end())
    return send_close_ack(id, known->second, log, true);
  Fill fill = broker_.close(text(command, "side"), close_quote(command));
  nlohmann::json body = {{"command_id", id}};
  if (fill.executed) {
    body.update({{"status", "executed"}, {"actual_close_price", fill.price}});
  } else {
    body.update({{"status", "failed"}, {"error_message", fill.error}});
  }
  close_acks_[id] = body;  // remembered before sending: never executed twice
  send_close_ack(id, body, log, false);
}

std::string EaLoop::close_quote(const nlohmann::json& command) const {
  std::string expected = text(command, "expected_price");
  if (!expected.empty()) return expected;
  // A manual close carries no price, and this broker has no market data:
  // it closes where it filled the entry, when this EA filled it.
  auto known = acks_.find(text(command, "position_id"));
  return known == acks_.end() ? "" : text(known->second, "actual_entry_price");
}

void EaLoop::send_close_ack(const std::string& command_id, const nlohmann::json& body, nlohmann::json log,
                            bool resent) {
  ApiAnswer answer = api_.close_ack(body);
  log.update(body);
  log["resent"] = resent;
  log["http_status"] = answer.status;
  if (answer.ok()) log["position_state"] = answer.json.value("position_state", "");
  log_action("close", log);
  accepted(answer, "close-ack " + command_id);
}

}  // namespace vigil::ea
