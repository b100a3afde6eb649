// The lifecycle rules of docs/http-api.md that the workflow's rewrite
// brings in: a position is acknowledged when a poll delivers it, and an ack
// for a position never delivered (still pending) is 409 not_delivered; a
// close-ack for a command never delivered by close_commands is 409
// not_delivered too. And a manual close followed by its close-ack leaves
// nothing behind.
#include "workflow_harness.hpp"

namespace vigil::test::workflow {
namespace {

const Refusal kNotDelivered{VIGIL_CONFLICT, "not_delivered"};

json close_ack(const std::string& command, const std::string& status) {
  json body = {{"command_id", command}, {"status", status}};
  if (status == "executed") body["actual_close_price"] = "1.09990";
  return body;
}

TEST(LifecycleRules, APollMakesItsPositionsAcknowledged) {
  Harness h;
  std::string client = h.client();
  std::string device = h.device(client);
  std::string position = h.signal(client).at(0);
  EXPECT_EQ(h.position_row(position).state, "pending");
  json delivered = h.ea(device, "client.poll").at("positions").at(0);
  EXPECT_EQ(h.position_row(position).state, "acknowledged");
  EXPECT_EQ(h.admin("admin.get_position", {}, position).at("state"), "acknowledged");
  EXPECT_EQ(h.actions(position), (std::vector<std::string>{"pending", "delivered"}));
}

TEST(LifecycleRules, AnExecutionAckOfAPositionNeverDeliveredIsNotDelivered) {
  Harness h;
  std::string client = h.client();
  std::string device = h.device(client);
  std::string position = h.signal(client).at(0);
  h.ea_refused(kNotDelivered, device, "client.ack", h.execution(position, "T1"));
  EXPECT_EQ(h.position_row(position).state, "pending");
  EXPECT_FALSE(h.engines().watched(position));
  h.ea(device, "client.poll");
  EXPECT_EQ(h.ea(device, "client.ack", h.execution(position, "T1")).at("state"), "open");
}

TEST(LifecycleRules, ARejectionOfAPositionNeverDeliveredIsNotDelivered) {
  Harness h;
  std::string client = h.client();
  std::string device = h.device(client);
  std::string position = h.signal(client).at(0);
  h.ea_refused(kNotDelivered, device, "client.ack", {{"position_id", position}, {"status", "rejected"}});
  EXPECT_EQ(h.position_row(position).state, "pending");
  EXPECT_EQ(h.ea(device, "client.poll").at("positions").size(), 1u);
}

TEST(LifecycleRules, AnAckOfAnotherDevicesUndeliveredPositionIsStillNotFound) {
  Harness h;
  std::string client = h.client();
  h.device(client);
  std::string position = h.signal(client).at(0);
  std::string stranger = h.device(h.client());
  h.ea_refused({VIGIL_NOT_FOUND, "not_found"}, stranger, "client.ack", h.execution(position, "T1"));
}

TEST(LifecycleRules, ACloseAckOfACommandNeverDeliveredIsNotDelivered) {
  Harness h;
  auto [device, position] = h.open_position();
  h.breach(position);
  std::string command = h.rows<Command>().at(0).id;
  for (const char* status : {"executed", "failed"})
    h.ea_refused(kNotDelivered, device, "client.close_ack", close_ack(command, status));
  EXPECT_EQ(h.commands_of(position).at(0).status, "pending");
  EXPECT_EQ(h.position_row(position).state, "closing");
  EXPECT_EQ(h.deliver_commands(device), std::vector<std::string>{command});
  EXPECT_EQ(h.ea(device, "client.close_ack", close_ack(command, "executed")).at("position_state"), "closed");
}

TEST(LifecycleRules, ARepeatedFailedCloseAckGetsTheFirstAnswerWithAPositionState) {
  Harness h;
  auto [device, position] = h.open_position();
  h.breach(position);
  std::string command = h.deliver_commands(device).at(0);
  json first = h.ea(device, "client.close_ack", close_ack(command, "failed"));
  ASSERT_EQ(first.at("position_state"), "closing");
  for (int i = 0; i < 3; ++i) {
    json again = h.ea(device, "client.close_ack", close_ack(command, "failed"));
    EXPECT_EQ(again, first);
    EXPECT_NE(again.at("position_state"), "");
  }
  h.advance(1'000);  // the retry issued meanwhile changes nothing in the answer
  EXPECT_EQ(h.ea(device, "client.close_ack", close_ack(command, "failed")), first);
  h.restart();
  EXPECT_EQ(h.ea(device, "client.close_ack", close_ack(command, "failed")), first);
}

// Observable traces of a position after its manual close: live counts, the
// engine's watches, its old engine key, a second position's key.
TEST(LifecycleRules, AManualCloseAndItsCloseAckLeaveNoTrace) {
  Harness h;
  auto [device, position] = h.open_position("T1");
  uint64_t old_key = h.engines().key_of(position);
  std::string command = h.admin("admin.close_position", {{"reason", "manual"}}, position).at("command_id");
  ASSERT_EQ(h.deliver_commands(device), std::vector<std::string>{command});
  EXPECT_EQ(h.ea(device, "client.close_ack", close_ack(command, "executed")).at("position_state"), "closed");
  h.workflow().export_metrics(h.metrics());
  EXPECT_EQ(h.metrics().value("vigil_positions{state=\"open\"}"), 0);
  EXPECT_EQ(h.metrics().value("vigil_positions{state=\"closing\"}"), 0);
  EXPECT_EQ(h.metrics().value("vigil_close_commands_live"), 0);
  EXPECT_EQ(h.metrics().value("vigil_positions_watched"), 0) << "the manual close left an engine key behind";
  EXPECT_TRUE(h.engines().watching.empty());

  // A late event for the old key (the engine emitted it before it was
  // unwatched) finds nothing: no command, no level move, no breach.
  std::string client = h.position_row(position).client_id;
  std::string next = h.signal(client).at(0);
  h.ea(device, "client.poll");
  h.ea(device, "client.ack", h.execution(next, "T2"));
  uint64_t new_key = h.engines().key_of(next);
  EXPECT_NE(new_key, old_key) << "a key is never reused for another position";
  core::CloseEvent late;
  late.key = old_key;
  late.reason = "sl_hit";
  late.price = 108'990;
  core::RuleUpdate moved;
  moved.key = old_key;
  moved.state = "{}";
  moved.levels = {{1, 109'500}};
  h.workflow().on_engine_output({late}, {moved});
  h.advance(1'000);
  EXPECT_EQ(h.commands_of(position).size(), 1u);
  EXPECT_TRUE(h.commands_of(next).empty());
  EXPECT_EQ(h.position_row(next).state, "open");
  EXPECT_EQ(h.actions(position).back(), "closed");
  h.workflow().export_metrics(h.metrics());
  EXPECT_EQ(h.metrics().value("vigil_breaches_total"), 0);
  EXPECT_EQ(h.metrics().value("vigil_positions{state=\"open\"}"), 1);
  EXPECT_EQ(h.metrics().value("vigil_close_commands_live"), 0);
}

}  // namespace
}  // namespace vigil::test::workflow
