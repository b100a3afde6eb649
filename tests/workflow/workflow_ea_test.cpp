// The EA operations (docs/http-api.md): poll, ack, close_commands,
// close-ack, positions_snapshot; idempotency, refusals and ownership.
#include "workflow_harness.hpp"

namespace vigil::test::workflow {
namespace {

const Refusal kInvalid{VIGIL_INVALID_ARGUMENT, "invalid_argument"};
const Refusal kNotFound{VIGIL_NOT_FOUND, "not_found"};
const Refusal kConflictingAck{VIGIL_CONFLICT, "conflicting_ack"};
const Refusal kConflictingCloseAck{VIGIL_CONFLICT, "conflicting_close_ack"};

// A client with one device and one pending position: {device, position}.
std::pair<std::string, std::string> pending_position(Harness& h, const json& fields = json::object()) {
  std::string client = h.client();
  std::string device = h.device(client);
  return {device, h.signal(client, fields).at(0)};
}

json close_ack(const std::string& command, const std::string& status, const std::string& price = "1.08990") {
  json body = {{"command_id", command}, {"status", status}};
  if (status == "executed")
    body["actual_close_price"] = price;
  else
    body["error_message"] = "market closed";
  return body;
}

TEST(WorkflowEa, APollDeliversPendingPositionsWithoutTheHiddenLevels) {
  Harness h;
  auto [device, position] = pending_position(h, {{"payload", {{"secret", "do-not-show"}}}});
  json answer = h.ea(device, "client.poll");
  ASSERT_EQ(answer.at("positions").size(), 1u);
  json p = answer.at("positions").at(0);
  EXPECT_EQ(p.at("position_id"), position);
  EXPECT_EQ(p.at("instrument"), "EURUSD");
  EXPECT_EQ(p.at("side"), "buy");
  EXPECT_EQ(p.at("volume"), "0.1");
  for (const char* hidden : {"1.09000", "1.11000", "do-not-show", "owner_sl", "owner_tp", "payload"})
    EXPECT_EQ(answer.dump().find(hidden), std::string::npos) << hidden << " in " << answer.dump();
}

TEST(WorkflowEa, APollMakesAPositionAcknowledgedOnceAndDeliversItAgain) {
  Harness h;
  auto [device, position] = pending_position(h);
  h.ea(device, "client.poll");
  EXPECT_EQ(h.position_row(position).state, "acknowledged");
  json again = h.ea(device, "client.poll");
  EXPECT_EQ(again.at("positions").size(), 1u) << "an EA that lost the answer gets it again";
  EXPECT_EQ(h.actions(position), (std::vector<std::string>{"pending", "delivered"}));
  EXPECT_EQ(h.position_row(position).version, 2);
}

TEST(WorkflowEa, APollDeliversOnlyTheDevicesOwnPositions) {
  Harness h;
  std::string client = h.client();
  std::string d1 = h.device(client), d2 = h.device(client);
  h.signal(client);
  for (const std::string& d : {d1, d2}) {
    json positions = h.ea(d, "client.poll").at("positions");
    ASSERT_EQ(positions.size(), 1u);
    EXPECT_EQ(h.position_row(positions.at(0).at("position_id")).device_id, d);
  }
}

TEST(WorkflowEa, AnExecutionAckOpensThePositionAndTheEngineWatchesIt) {
  Harness h;
  auto [device, position] = pending_position(h);
  h.ea(device, "client.poll");
  json answer = h.ea(device, "client.ack", h.execution(position, "T1", "1.10020", "0.05"));
  EXPECT_EQ(answer.at("position_id"), position);
  EXPECT_EQ(answer.at("state"), "open");
  EXPECT_EQ(answer.at("actual_entry_price"), "1.10020");
  EXPECT_EQ(answer.at("filled_volume"), "0.05");
  EXPECT_EQ(answer.at("fill_ratio"), "0.5");
  EXPECT_EQ(answer.at("slippage"), nullptr) << "a market signal has nothing to slip against";
  Position row = h.position_row(position);
  EXPECT_EQ(row.state, "open");
  EXPECT_EQ(row.broker_ticket, "T1");
  EXPECT_EQ(row.opened_at, h.now());
  ASSERT_TRUE(h.engines().watched(position));
  const core::NewPosition& watched = h.engines().watching.at(h.engines().key_of(position));
  EXPECT_EQ(watched.entry_price, 110'020);
  EXPECT_EQ(watched.owner_sl, 109'000);
  EXPECT_EQ(watched.owner_tp, 111'000);
  EXPECT_EQ(watched.opened_at_unix_ms, h.now());
  EXPECT_EQ(h.actions(position), (std::vector<std::string>{"pending", "delivered", "opened"}));
}

TEST(WorkflowEa, SlippageIsSignedAdversePositive) {
  Harness h;
  auto [buyer, buy] = pending_position(h, {{"entry_price", "1.10000"}});
  h.ea(buyer, "client.poll");
  json bought = h.ea(buyer, "client.ack", h.execution(buy, "T1", "1.10003"));
  EXPECT_EQ(bought.at("slippage"), (json{{"price", "0.00003"}, {"points", 3}}));
  auto [seller, sell] =
      pending_position(h, {{"side", "sell"}, {"entry_price", "1.10000"}, {"owner_sl", "1.11"}, {"owner_tp", "1.09"}});
  h.ea(seller, "client.poll");
  json sold = h.ea(seller, "client.ack", h.execution(sell, "T2", "1.10003"));
  EXPECT_EQ(sold.at("slippage"), (json{{"price", "-0.00003"}, {"points", -3}}));
}

TEST(WorkflowEa, TheSameExecutionAckGetsTheSameAnswer) {
  Harness h;
  auto [device, position] = pending_position(h);
  h.ea(device, "client.poll");
  json first = h.ea(device, "client.ack", h.execution(position, "T1"));
  json again = h.ea(device, "client.ack", h.execution(position, "T1"));
  EXPECT_EQ(again, first);
  EXPECT_EQ(h.engines().watches.size(), 1u);
  EXPECT_EQ(h.actions(position), (std::vector<std::string>{"pending", "delivered", "opened"}));
}

TEST(WorkflowEa, AConflictingExecutionAckIsAConflict) {
  Harness h;
  auto [device, position] = pending_position(h);
  h.ea(device, "client.poll");
  h.ea(device, "client.ack", h.execution(position, "T1"));
  h.ea_refused(kConflictingAck, device, "client.ack", h.execution(position, "T1", "1.10001"));
  h.ea_refused(kConflictingAck, device, "client.ack", h.execution(position, "T9"));
  h.ea_refused(kConflictingAck, device, "client.ack", h.execution(position, "T1", "1.10000", "0.09"));
  h.ea_refused(kConflictingAck, device, "client.ack", {{"position_id", position}, {"status", "rejected"}});
  EXPECT_EQ(h.position_row(position).actual_entry_price, "1.10000");
}

TEST(WorkflowEa, ARejectionEndsThePositionAndRepeatsTheSameAnswer) {
  Harness h;
  auto [device, position] = pending_position(h);
  h.ea(device, "client.poll");
  json body = {{"position_id", position}, {"status", "rejected"}, {"error_message", "no money"}};
  json first = h.ea(device, "client.ack", body);
  EXPECT_EQ(first, (json{{"position_id", position}, {"state", "rejected"}}));
  EXPECT_EQ(h.ea(device, "client.ack", body), first);
  Position row = h.position_row(position);
  EXPECT_EQ(row.state, "rejected");
  EXPECT_EQ(row.error_message, "no money");
  EXPECT_FALSE(h.engines().watched(position));
  EXPECT_TRUE(h.ea(device, "client.poll").at("positions").empty());
  h.ea_refused(kConflictingAck, device, "client.ack", h.execution(position, "T1"));
  EXPECT_EQ(h.actions(position), (std::vector<std::string>{"pending", "delivered", "rejected"}));
}

TEST(WorkflowEa, BadAcksAreRefusedNamingTheField) {
  Harness h;
  auto [device, position] = pending_position(h);
  h.ea(device, "client.poll");
  struct Case {
    json change;
    std::string field;
  };
  for (const Case& c : std::vector<Case>{{{{"status", "done"}}, "status"},
                                         {{{"actual_entry_price", "0"}}, "actual_entry_price"},
                                         {{{"actual_entry_price", "1.1000001"}}, "actual_entry_price"},
                                         {{{"filled_volume", "0.11"}}, "filled_volume"},
                                         {{{"filled_volume", "0"}}, "filled_volume"},
                                         {{{"broker_ticket", nullptr}}, "broker_ticket"},
                                         {{{"position_id", nullptr}}, "position_id"}}) {
    json body = h.execution(position, "T1");
    body.update(c.change);
    if (c.change.begin().value().is_null()) body.erase(c.change.begin().key());
    core::ApiError e = h.ea_refused(kInvalid, device, "client.ack", body);
    EXPECT_NE(std::string(e.what()).find(c.field), std::string::npos) << body.dump() << ": " << e.what();
  }
  EXPECT_EQ(h.position_row(position).state, "acknowledged");
}

TEST(WorkflowEa, ATicketOfAnotherOpenPositionOfTheDeviceIsAConflict) {
  Harness h;
  std::string client = h.client();
  std::string device = h.device(client);
  std::string first = h.signal(client).at(0), second = h.signal(client).at(0);
  h.ea(device, "client.poll");
  h.ea(device, "client.ack", h.execution(first, "T1"));
  h.ea_refused({VIGIL_CONFLICT, "duplicate_ticket"}, device, "client.ack", h.execution(second, "T1"));
  EXPECT_EQ(h.position_row(second).state, "acknowledged");
}

TEST(WorkflowEa, CloseCommandsDeliverTheCommandOnceAsAcknowledged) {
  Harness h;
  auto [device, position] = h.open_position("T5");
  h.breach(position, "sl_hit", 108'990, 109'000);
  json answer = h.ea(device, "client.close_commands");
  ASSERT_EQ(answer.at("commands").size(), 1u);
  json c = answer.at("commands").at(0);
  std::string command = c.at("command_id");
  EXPECT_EQ(c.at("position_id"), position);
  EXPECT_EQ(c.at("broker_ticket"), "T5");
  EXPECT_EQ(c.at("instrument"), "EURUSD");
  EXPECT_EQ(c.at("side"), "buy");
  EXPECT_EQ(c.at("volume"), "0.1");
  EXPECT_EQ(c.at("reason"), "sl_hit");
  EXPECT_EQ(c.at("expected_price"), "1.08990");
  EXPECT_EQ(c.at("status"), "acknowledged");
  EXPECT_EQ(h.commands_of(position).at(0).status, "acknowledged");
  EXPECT_EQ(h.deliver_commands(device), std::vector<std::string>{command}) << "delivered again until finished";
  EXPECT_EQ(h.actions(command), (std::vector<std::string>{"issued", "delivered"}));
}

TEST(WorkflowEa, AnExecutedCloseAckClosesThePosition) {
  Harness h;
  auto [device, position] = h.open_position();
  h.breach(position, "tp_hit", 111'010, 111'000);
  std::string command = h.deliver_commands(device).at(0);
  json answer = h.ea(device, "client.close_ack", close_ack(command, "executed", "1.11005"));
  EXPECT_EQ(answer, (json{{"command_id", command}, {"status", "executed"}, {"position_state", "closed"}}));
  Position row = h.position_row(position);
  EXPECT_EQ(row.state, "closed");
  EXPECT_EQ(row.close_price, "1.11005");
  EXPECT_EQ(row.close_reason, "tp_hit");
  EXPECT_EQ(row.closed_at, h.now());
  Command c = h.commands_of(position).at(0);
  EXPECT_EQ(c.status, "executed");
  EXPECT_EQ(c.actual_close_price, "1.11005");
  EXPECT_EQ(h.actions(command), (std::vector<std::string>{"issued", "delivered", "executed"}));
  EXPECT_EQ(h.actions(position).back(), "closed");
  EXPECT_TRUE(h.deliver_commands(device).empty());
}

TEST(WorkflowEa, TheSameExecutedCloseAckGetsTheSameAnswerAndAConflictingOneIsRefused) {
  Harness h;
  auto [device, position] = h.open_position();
  h.breach(position);
  std::string command = h.deliver_commands(device).at(0);
  json first = h.ea(device, "client.close_ack", close_ack(command, "executed"));
  EXPECT_EQ(h.ea(device, "client.close_ack", close_ack(command, "executed")), first);
  h.ea_refused(kConflictingCloseAck, device, "client.close_ack", close_ack(command, "failed"));
  EXPECT_EQ(h.actions(command), (std::vector<std::string>{"issued", "delivered", "executed"}));
}

TEST(WorkflowEa, AFailedCloseAckKeepsThePositionClosingAndRepeatsTheSameAnswer) {
  Harness h;
  auto [device, position] = h.open_position();
  h.breach(position);
  std::string command = h.deliver_commands(device).at(0);
  json first = h.ea(device, "client.close_ack", close_ack(command, "failed"));
  EXPECT_EQ(first, (json{{"command_id", command}, {"status", "failed"}, {"position_state", "closing"}}));
  json again = h.ea(device, "client.close_ack", close_ack(command, "failed"));
  EXPECT_EQ(again, first);
  EXPECT_NE(again.at("position_state"), "");
  h.ea_refused(kConflictingCloseAck, device, "client.close_ack", close_ack(command, "executed"));
  Command c = h.commands_of(position).at(0);
  EXPECT_EQ(c.status, "failed");
  EXPECT_EQ(c.error_message, "market closed");
  EXPECT_EQ(h.position_row(position).state, "closing");
  EXPECT_EQ(h.actions(command), (std::vector<std::string>{"issued", "delivered", "failed"}));
}

TEST(WorkflowEa, BadCloseAcksAreRefused) {
  Harness h;
  auto [device, position] = h.open_position();
  h.breach(position);
  std::string command = h.deliver_commands(device).at(0);
  h.ea_refused(kInvalid, device, "client.close_ack", {{"command_id", command}, {"status", "done"}});
  h.ea_refused(kInvalid, device, "client.close_ack", {{"command_id", command}, {"status", "executed"}});
  h.ea_refused(kInvalid, device, "client.close_ack", close_ack(command, "executed", "0"));
  h.ea_refused(kNotFound, device, "client.close_ack", close_ack("cmd_nope", "executed"));
  EXPECT_EQ(h.commands_of(position).at(0).status, "acknowledged");
}

TEST(WorkflowEa, AnotherDevicesPositionsAndCommandsAreNotFoundOnEveryRoute) {
  Harness h;
  auto [owner, position] = h.open_position("T1");
  std::string stranger = h.device(h.client());
  std::string client = h.position_row(position).client_id;
  std::string sibling = h.device(client);  // same client, other device: still not its position
  h.breach(position);
  std::string command = h.rows<Command>().at(0).id;
  for (const std::string& other : {stranger, sibling}) {
    EXPECT_TRUE(h.ea(other, "client.poll").at("positions").empty());
    EXPECT_TRUE(h.ea(other, "client.close_commands").at("commands").empty());
    h.ea_refused(kNotFound, other, "client.ack", h.execution(position, "T1"));
    h.ea_refused(kNotFound, other, "client.ack", {{"position_id", position}, {"status", "rejected"}});
    h.ea_refused(kNotFound, other, "client.close_ack", close_ack(command, "executed"));
    h.ea_refused(kNotFound, other, "client.close_ack", close_ack(command, "failed"));
    json snapshot = h.ea(other, "client.positions_snapshot", {{"tickets", json::array()}});
    EXPECT_TRUE(snapshot.at("closed_positions").empty());
  }
  EXPECT_EQ(h.commands_of(position).at(0).status, "pending") << "never delivered to another device";
  EXPECT_EQ(h.position_row(position).state, "closing");
  // Finished ones too: their existence is not revealed either.
  std::string delivered = h.deliver_commands(owner).at(0);
  h.ea(owner, "client.close_ack", close_ack(delivered, "executed"));
  h.ea_refused(kNotFound, stranger, "client.close_ack", close_ack(delivered, "executed"));
  h.ea_refused(kNotFound, stranger, "client.ack", h.execution(position, "T1"));
}

TEST(WorkflowEa, ASnapshotWithoutAnOpenTicketClosesItsPositionAtTheBroker) {
  Harness h;
  auto [device, position] = h.open_position("T1");
  h.breach(position);
  std::string command = h.deliver_commands(device).at(0);
  json answer = h.ea(device, "client.positions_snapshot", {{"tickets", {"T77"}}});
  EXPECT_EQ(answer.at("closed_positions"), json::array({position}));
  EXPECT_EQ(answer.at("unknown_tickets"), json::array({"T77"}));
  Position row = h.position_row(position);
  EXPECT_EQ(row.state, "closed");
  EXPECT_EQ(row.close_reason, "broker_closed");
  EXPECT_EQ(h.commands_of(position).at(0).status, "expired") << "its live command ends with it";
  EXPECT_TRUE(h.deliver_commands(device).empty());
  EXPECT_TRUE(in_order(h.actions(command), {"issued", "delivered", "expired"}));
  EXPECT_EQ(h.actions(device).back(), "unknown_ticket");
  h.advance(10 * 60'000);
  EXPECT_EQ(h.commands_of(position).size(), 1u) << "nothing is re-issued for a position the broker closed";
}

TEST(WorkflowEa, ASnapshotHoldingEveryTicketChangesNothing) {
  Harness h;
  auto [device, position] = h.open_position("T1");
  json answer = h.ea(device, "client.positions_snapshot", {{"tickets", {"T1"}}});
  EXPECT_TRUE(answer.at("closed_positions").empty());
  EXPECT_TRUE(answer.at("unknown_tickets").empty());
  EXPECT_EQ(h.position_row(position).state, "open");
  EXPECT_TRUE(h.engines().watched(position));
}

}  // namespace
}  // namespace vigil::test::workflow
