// Recovery and outages: a second Workflow over the same store continues
// where the first stopped, and a commit whose answer was lost (the store
// said unavailable but had committed) is read back, never duplicated.
#include "workflow_harness.hpp"

namespace vigil::test::workflow {
namespace {

const Refusal kUnavailable{VIGIL_UNAVAILABLE, "unavailable"};

json close_ack(const std::string& command, const std::string& status) {
  json body = {{"command_id", command}, {"status", status}};
  if (status == "executed") body["actual_close_price"] = "1.08990";
  return body;
}

size_t count(const std::vector<std::string>& actions, const std::string& action) {
  return static_cast<size_t>(std::count(actions.begin(), actions.end(), action));
}

TEST(WorkflowRecovery, OpenPositionsAreWatchedAgainWithTheirLevels) {
  Harness h;
  auto [device, position] = h.open_position();
  int64_t opened_at = h.now();
  h.advance(5'000);
  h.restart();
  ASSERT_TRUE(h.engines().watched(position));
  const core::NewPosition& p = h.engines().watching.at(h.engines().key_of(position));
  EXPECT_EQ(p.owner_sl, 109'000);
  EXPECT_EQ(p.owner_tp, 111'000);
  EXPECT_EQ(p.entry_price, 110'000);
  EXPECT_EQ(p.opened_at_unix_ms, opened_at);
  EXPECT_EQ(h.engines().watches.size(), 1u);
  h.breach(position);
  EXPECT_EQ(h.deliver_commands(device).size(), 1u) << "a breach after the restart is acted on";
}

TEST(WorkflowRecovery, DevicesArePendingPositionsAreDeliverableAfterARestart) {
  Harness h;
  std::string client = h.client();
  std::string device = h.device(client);
  std::string secret = *h.workflow().device_secret(device);
  std::string position = h.signal(client).at(0);
  h.restart();
  EXPECT_EQ(h.workflow().device_secret(device), secret);
  EXPECT_EQ(h.ea(device, "client.poll").at("positions").size(), 1u);
  h.restart();
  EXPECT_EQ(h.ea(device, "client.ack", h.execution(position, "T1")).at("state"), "open");
  EXPECT_TRUE(h.engines().watched(position));
}

TEST(WorkflowRecovery, UnfinishedCommandsAreDeliverableAfterARestart) {
  Harness h;
  auto [device, position] = h.open_position();
  h.breach(position);
  std::string command = h.rows<Command>().at(0).id;
  h.restart();
  EXPECT_FALSE(h.engines().watched(position)) << "a closing position is not judged again";
  EXPECT_EQ(h.deliver_commands(device), std::vector<std::string>{command});
  h.restart();
  EXPECT_EQ(h.deliver_commands(device), std::vector<std::string>{command}) << "acknowledged: still unfinished";
  EXPECT_EQ(h.ea(device, "client.close_ack", close_ack(command, "executed")).at("position_state"), "closed");
}

TEST(WorkflowRecovery, ExpiryCountsFromTheCommandsCreationAcrossARestart) {
  Harness h;
  auto [device, position] = h.open_position();
  h.breach(position);
  h.advance(200'000);
  h.restart();
  h.advance(100'000);
  EXPECT_EQ(h.commands_of(position).size(), 2u);
  EXPECT_EQ(h.commands_of(position).at(0).status, "expired");
}

TEST(WorkflowRecovery, AClosingPositionWithoutALiveCommandGetsANewOne) {
  Harness h;
  auto [device, position] = h.open_position();
  h.breach(position);
  std::string failed = h.deliver_commands(device).at(0);
  h.ea(device, "client.close_ack", close_ack(failed, "failed"));
  h.restart();  // before the retry was issued
  h.advance(0);
  std::vector<std::string> delivered = h.deliver_commands(device);
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_NE(delivered[0], failed);
  Command reissued = h.rows<Command>(delivered[0]).at(0);
  EXPECT_EQ(reissued.reason, "sl_hit");
  EXPECT_EQ(reissued.attempts, 1);
  EXPECT_EQ(h.actions(delivered[0]).front(), "reissued");
}

TEST(WorkflowRecovery, AFullCloseAfterARestartDuringAPartialCloseFollowsThePartial) {
  Harness h;
  auto [device, position] = h.open_position();
  h.breach(position, "ladder", 110'500, 110'500, 4'000'000);
  h.restart();
  h.breach(position, "sl_hit");
  std::string partial = h.deliver_commands(device).at(0);
  EXPECT_EQ(h.rows<Command>(partial).at(0).volume, "0.04");
  h.ea(device, "client.close_ack", close_ack(partial, "executed"));
  h.advance(1'000);
  EXPECT_EQ(h.position_row(position).state, "closing");
  std::vector<std::string> live = h.deliver_commands(device);
  ASSERT_EQ(live.size(), 1u) << "the full close was lost";
  EXPECT_EQ(h.rows<Command>(live[0]).at(0).volume, "");
}

TEST(WorkflowRecovery, ClosedAndRejectedPositionsStayFinished) {
  Harness h;
  auto [device, position] = h.open_position();
  h.breach(position);
  h.ea(device, "client.close_ack", close_ack(h.deliver_commands(device).at(0), "executed"));
  std::string client = h.position_row(position).client_id;
  std::string rejected = h.signal(client).at(0);
  h.ea(device, "client.poll");
  h.ea(device, "client.ack", {{"position_id", rejected}, {"status", "rejected"}});
  h.restart();
  h.advance(400'000);
  EXPECT_TRUE(h.engines().watching.empty());
  EXPECT_TRUE(h.ea(device, "client.poll").at("positions").empty());
  EXPECT_TRUE(h.deliver_commands(device).empty());
  EXPECT_EQ(h.rows<Command>().size(), 1u);
}

TEST(WorkflowRecovery, MovedLevelsAreResumedAfterARestart) {
  Harness h;
  auto [device, position] = h.open_position();
  core::RuleUpdate u;
  u.key = h.engines().key_of(position);
  u.rule = 0;
  u.state = R"({"best":"1.10200"})";
  u.levels = {{1, 109'700}};
  h.workflow().on_engine_output({}, {u});
  h.advance(200);
  h.restart();
  const core::NewPosition& p = h.engines().watching.at(h.engines().key_of(position));
  EXPECT_EQ(p.rule_states, std::vector<std::string>{u.state});
}

TEST(WorkflowRecovery, AFailedCommitIsA503AndWritesNothing) {
  Harness h;
  std::string client = h.client();
  std::string device = h.device(client);
  h.store().fail_next_apply();
  h.admin_refused(kUnavailable, "admin.create_signal",
                  {{"client_id", client}, {"instrument", "EURUSD"}, {"side", "buy"}, {"volume", "0.10"}});
  EXPECT_TRUE(h.rows<Position>().empty());
  EXPECT_TRUE(h.ea(device, "client.poll").at("positions").empty());
  h.signal(client);
  EXPECT_EQ(h.ea(device, "client.poll").at("positions").size(), 1u);
}

TEST(WorkflowRecovery, AnAckWhoseCommitWasInDoubtIsReadBackAndNotDuplicated) {
  Harness h;
  std::string client = h.client();
  std::string device = h.device(client);
  std::string position = h.signal(client).at(0);
  h.ea(device, "client.poll");
  h.store().lose_next_commit_answer();
  h.ea_refused(kUnavailable, device, "client.ack", h.execution(position, "T1"));
  EXPECT_EQ(h.position_row(position).state, "open") << "the store has it";
  json again = h.ea(device, "client.ack", h.execution(position, "T1"));
  EXPECT_EQ(again.at("state"), "open");
  EXPECT_EQ(count(h.actions(position), "opened"), 1u);
  EXPECT_EQ(h.engines().watches.size(), 1u) << "watched once, from the read-back";
  h.breach(position);
  EXPECT_EQ(h.deliver_commands(device).size(), 1u);
}

TEST(WorkflowRecovery, APollWhoseCommitWasInDoubtDoesNotBlockTheNextOnes) {
  Harness h;
  std::string client = h.client();
  std::string device = h.device(client);
  std::string position = h.signal(client).at(0);
  h.store().lose_next_commit_answer();
  h.ea_refused(kUnavailable, device, "client.poll");
  EXPECT_EQ(h.ea(device, "client.poll").at("positions").size(), 1u);
  EXPECT_EQ(count(h.actions(position), "delivered"), 1u);
  EXPECT_EQ(h.ea(device, "client.ack", h.execution(position, "T1")).at("state"), "open");
}

TEST(WorkflowRecovery, ASignalWhoseCommitWasInDoubtIsDeliveredOnce) {
  Harness h;
  std::string client = h.client();
  std::string device = h.device(client);
  h.store().lose_next_commit_answer();
  h.admin_refused(kUnavailable, "admin.create_signal",
                  {{"client_id", client}, {"instrument", "EURUSD"}, {"side", "buy"}, {"volume", "0.10"}});
  json positions = h.ea(device, "client.poll").at("positions");
  ASSERT_EQ(positions.size(), 1u) << "the stored signal's position is served";
  std::string position = positions.at(0).at("position_id");
  EXPECT_EQ(h.ea(device, "client.ack", h.execution(position, "T1")).at("state"), "open");
}

TEST(WorkflowRecovery, ABreachWhoseCommitWasInDoubtIsNotIssuedTwice) {
  Harness h;
  auto [device, position] = h.open_position();
  h.store().lose_next_commit_answer();
  h.breach(position);
  ASSERT_EQ(h.commands_of(position).size(), 1u) << "the store has the command";
  for (int i = 0; i < 5; ++i) h.advance(1'000);
  EXPECT_EQ(h.commands_of(position).size(), 1u);
  std::vector<std::string> delivered = h.deliver_commands(device);
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_EQ(count(h.actions(delivered[0]), "issued"), 1u);
  EXPECT_EQ(h.ea(device, "client.close_ack", close_ack(delivered[0], "executed")).at("position_state"), "closed");
}

TEST(WorkflowRecovery, AFullCloseWaitingBehindAPartialSurvivesTheReadBackOfItsDelivery) {
  Harness h;
  auto [device, position] = h.open_position();
  h.breach(position, "ladder", 110'500, 110'500, 4'000'000);
  h.breach(position, "sl_hit");  // waits for the partial close to end
  h.store().lose_next_commit_answer();
  h.ea_refused(kUnavailable, device, "client.close_commands");
  std::vector<std::string> delivered = h.deliver_commands(device);  // the read-back adopts the partial
  ASSERT_EQ(delivered.size(), 1u);
  h.ea(device, "client.close_ack", close_ack(delivered[0], "executed"));
  h.advance(1'000);
  EXPECT_EQ(h.position_row(position).state, "closing");
  std::vector<std::string> live = h.deliver_commands(device);
  ASSERT_EQ(live.size(), 1u) << "the full close was lost";
  EXPECT_EQ(h.rows<Command>(live[0]).at(0).volume, "");
}

TEST(WorkflowRecovery, ABreachWhoseCommitFailedIsIssuedOnTheRetry) {
  Harness h;
  auto [device, position] = h.open_position();
  h.store().fail_next_apply();
  h.breach(position);
  EXPECT_TRUE(h.commands_of(position).empty());
  EXPECT_EQ(h.position_row(position).state, "open");
  h.advance(1'000);
  EXPECT_EQ(h.commands_of(position).size(), 1u);
  EXPECT_EQ(h.position_row(position).state, "closing");
  EXPECT_EQ(h.deliver_commands(device).size(), 1u);
}

TEST(WorkflowRecovery, ACloseAckWhoseCommitWasInDoubtGetsTheSameAnswerWhenRepeated) {
  Harness h;
  auto [device, position] = h.open_position();
  h.breach(position);
  std::string command = h.deliver_commands(device).at(0);
  h.store().lose_next_commit_answer();
  h.ea_refused(kUnavailable, device, "client.close_ack", close_ack(command, "failed"));
  json again = h.ea(device, "client.close_ack", close_ack(command, "failed"));
  EXPECT_EQ(again, (json{{"command_id", command}, {"status", "failed"}, {"position_state", "closing"}}));
  h.advance(1'000);
  EXPECT_EQ(h.deliver_commands(device).size(), 1u) << "the failed close is retried";
  EXPECT_EQ(count(h.actions(command), "failed"), 1u);
}

}  // namespace
}  // namespace vigil::test::workflow
