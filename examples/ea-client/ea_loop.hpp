// The EA's work, one round at a time: take the positions waiting for this
// device, execute each at the broker and ack it; then long-poll the close
// commands, execute each at the broker and close-ack it.
//
// The server delivers a close command until it hears the result (at least
// once); this loop executes a command id at most once. It remembers the
// answer it sent for every position and command id, and when one comes
// back (the answer was lost, or crossed a re-delivery) it sends the same
// answer again instead of trading twice. The memory lives as long as the
// process; a production EA would keep it in a file so that a restart cannot
// trade twice either.
//
// Threading: one thread runs a loop.
#pragma once

#include <nlohmann/json.hpp>

#include <atomic>
#include <map>
#include <stdexcept>
#include <string>

#include "examples/ea-client/ea_api.hpp"
#include "examples/ea-client/simulated_broker.hpp"

namespace vigil::ea {

// The server refused the device (401): retrying cannot help.
struct AuthRefused : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// No answer, 429 or 5xx: worth another round after a pause.
struct TransientFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class EaLoop {
 public:
  // `stopping` set: a call cut short is the stop, not an error to log.
  EaLoop(EaApi& api, SimulatedBroker& broker, int wait_s, const std::atomic<bool>& stopping)
      : api_(api), broker_(broker), wait_s_(wait_s), stopping_(stopping) {}

  // One round. Throws AuthRefused or TransientFailure; any other refusal
  // (400, 404, 409) is logged and the round goes on.
  void run_once();

 private:
  void take_positions();
  void execute_position(const nlohmann::json& position);
  void take_close_commands();
  void execute_command(const nlohmann::json& command);
  // The price to close at: the command's expected price, or for a manual
  // close (none) the entry this EA filled.
  std::string close_quote(const nlohmann::json& command) const;
  // Sends a remembered answer again ("resent": true in the log).
  void send_ack(const std::string& position_id, const nlohmann::json& body, nlohmann::json log, bool resent);
  void send_close_ack(const std::string& command_id, const nlohmann::json& body, nlohmann::json log, bool resent);
  // Throws for the failures a round cannot go on after; false for a refusal.
  bool accepted(const ApiAnswer& answer, const std::string& call);

  EaApi& api_;
  SimulatedBroker& broker_;
  int wait_s_;
  const std::atomic<bool>& stopping_;
  std::map<std::string, nlohmann::json> acks_;        // position id -> the ack sent
  std::map<std::string, nlohmann::json> close_acks_;  // command id -> the close-ack sent
};

}  // namespace vigil::ea
