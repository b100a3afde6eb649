// Breaches and escalation: a close event becomes one close command, the
// EA is woken, an unfinished command alerts after 30 s and expires after
// 300 s (then a new one is issued), a failed close is retried with a
// doubling backoff (1 s, at most 60 s), and rules' level moves are saved
// and audited.
#include "workflow_harness.hpp"

namespace vigil::test::workflow {
namespace {

json close_ack(const std::string& command, const std::string& status) {
  json body = {{"command_id", command}, {"status", status}};
  if (status == "executed") body["actual_close_price"] = "1.08990";
  return body;
}

// The live command of the position (fails the test unless exactly one).
Command live_command(const Harness& h, const std::string& position) {
  std::vector<Command> live;
  for (Command& c : h.commands_of(position))
    if (c.status == "pending" || c.status == "acknowledged") live.push_back(c);
  EXPECT_EQ(live.size(), 1u) << "live commands of " << position;
  return live.empty() ? Command{} : live[0];
}

void count_wake(void* user) {
  ++*static_cast<int*>(user);
}

TEST(WorkflowBreach, ACloseEventIssuesOneCommandAndMovesThePositionToClosing) {
  Harness h;
  auto [device, position] = h.open_position();
  h.breach(position, "sl_hit", 108'990, 109'000);
  Command c = live_command(h, position);
  EXPECT_EQ(c.status, "pending");
  EXPECT_EQ(c.reason, "sl_hit");
  EXPECT_EQ(c.expected_price, "1.08990");
  EXPECT_EQ(c.level, "1.09000");
  EXPECT_EQ(c.volume, "");
  EXPECT_EQ(c.attempts, 0);
  EXPECT_EQ(h.position_row(position).state, "closing");
  EXPECT_EQ(h.actions(c.id), std::vector<std::string>{"issued"});
  EXPECT_EQ(h.actions(position).back(), "closing");
}

TEST(WorkflowBreach, ABreachWakesTheDevicesWaitingPoll) {
  Harness h;
  auto [device, position] = h.open_position();
  std::string other = h.device(h.client());
  int woken = 0, other_woken = 0;
  h.workflow().watch(device, &count_wake, &woken);
  uint64_t token = h.workflow().watch(other, &count_wake, &other_woken);
  h.breach(position);
  EXPECT_EQ(woken, 1);
  EXPECT_EQ(other_woken, 0);
  h.workflow().unwatch(token);
}

TEST(WorkflowBreach, ASecondCloseEventOfThePositionIssuesNoSecondCommand) {
  Harness h;
  auto [device, position] = h.open_position();
  uint64_t key = h.engines().key_of(position);
  h.breach(position);
  core::CloseEvent again;
  again.key = key;
  again.reason = "tp_hit";
  again.price = 111'000;
  h.workflow().on_engine_output({again}, {});
  h.advance(1000);
  EXPECT_EQ(h.commands_of(position).size(), 1u);
}

TEST(WorkflowBreach, ACloseEventForAnUnknownKeyIsIgnored) {
  Harness h;
  auto [device, position] = h.open_position();
  core::CloseEvent stray;
  stray.key = h.engines().key_of(position) + 1000;
  stray.reason = "sl_hit";
  h.workflow().on_engine_output({stray}, {});
  EXPECT_TRUE(h.rows<Command>().empty());
  EXPECT_EQ(h.position_row(position).state, "open");
}

TEST(WorkflowBreach, AManualCloseOfABreachedPositionIsAConflict) {
  Harness h;
  auto [device, position] = h.open_position();
  h.breach(position);
  h.admin_refused({VIGIL_CONFLICT, "position_not_open"}, "admin.close_position", {{"reason", "manual"}}, position);
  EXPECT_EQ(h.commands_of(position).size(), 1u);
}

TEST(WorkflowBreach, AnUnfinishedCommandAlertsAfterThirtySeconds) {
  Harness h;
  auto [device, position] = h.open_position();
  h.breach(position);
  std::string command = live_command(h, position).id;
  h.advance(29'999);
  EXPECT_TRUE(h.workflow().overdue_commands().empty());
  EXPECT_EQ(h.workflow().alert_counts().overdue_commands, 0u);
  h.advance(1);
  EXPECT_EQ(h.workflow().overdue_commands(), std::vector<std::string>{command});
  EXPECT_EQ(h.workflow().alert_counts().overdue_commands, 1u);
  EXPECT_EQ(h.admin("admin.alerts").at("overdue_commands"), json::array({command}));
  h.ea(device, "client.close_ack", close_ack(h.deliver_commands(device).at(0), "executed"));
  h.advance(1);
  EXPECT_TRUE(h.workflow().overdue_commands().empty());
  EXPECT_EQ(h.workflow().alert_counts().overdue_commands, 0u);
}

TEST(WorkflowBreach, ACommandUnfinishedForFiveMinutesExpiresAndIsReissued) {
  Harness h;
  auto [device, position] = h.open_position();
  h.breach(position);
  std::string first = live_command(h, position).id;
  h.deliver_commands(device);
  h.advance(299'999);
  EXPECT_EQ(live_command(h, position).id, first);
  h.advance(1);
  Command second = live_command(h, position);
  EXPECT_NE(second.id, first);
  EXPECT_EQ(second.attempts, 1);
  EXPECT_EQ(second.reason, "sl_hit");
  EXPECT_EQ(second.status, "pending");
  EXPECT_EQ(h.position_row(position).state, "closing");
  EXPECT_EQ(h.actions(first), (std::vector<std::string>{"issued", "delivered", "expired"}));
  EXPECT_EQ(h.actions(second.id), std::vector<std::string>{"reissued"});
  EXPECT_EQ(h.deliver_commands(device), std::vector<std::string>{second.id});
  h.ea_refused({VIGIL_CONFLICT, "conflicting_close_ack"}, device, "client.close_ack", close_ack(first, "failed"));
}

TEST(WorkflowBreach, ACommandNeverDeliveredExpiresToo) {
  Harness h;
  auto [device, position] = h.open_position();
  h.breach(position);
  std::string first = live_command(h, position).id;
  h.advance(300'000);
  EXPECT_EQ(h.commands_of(position).at(0).status, "expired");
  EXPECT_EQ(live_command(h, position).attempts, 1);
  EXPECT_EQ(h.actions(first), (std::vector<std::string>{"issued", "expired"}));
}

TEST(WorkflowBreach, TheExpiryTimeIsConfigurable) {
  core::WorkflowOptions options;
  options.command_expire_after_ms = 10'000;
  options.command_alert_after_ms = 5'000;
  Harness h(options);
  auto [device, position] = h.open_position();
  h.breach(position);
  h.advance(5'000);
  EXPECT_EQ(h.workflow().overdue_commands().size(), 1u);
  h.advance(5'000);
  EXPECT_EQ(h.commands_of(position).size(), 2u);
}

TEST(WorkflowBreach, AFailedCloseIsRetriedWithADoublingBackoffOfAtMostSixtySeconds) {
  Harness h;
  auto [device, position] = h.open_position();
  h.breach(position);
  const std::vector<int64_t> backoffs = {1'000, 2'000, 4'000, 8'000, 16'000, 32'000, 60'000, 60'000};
  for (size_t attempt = 0; attempt < backoffs.size(); ++attempt) {
    Command c = live_command(h, position);
    ASSERT_EQ(c.attempts, static_cast<int32_t>(attempt));
    ASSERT_EQ(h.deliver_commands(device), std::vector<std::string>{c.id});
    h.ea(device, "client.close_ack", close_ack(c.id, "failed"));
    h.advance(backoffs[attempt] - 1);
    EXPECT_TRUE(h.deliver_commands(device).empty()) << "attempt " << attempt << ": re-issued before its backoff";
    h.advance(1);
    ASSERT_EQ(h.deliver_commands(device).size(), 1u) << "attempt " << attempt << ": not re-issued after its backoff";
    EXPECT_EQ(h.actions(live_command(h, position).id).front(), "reissued");
  }
  EXPECT_EQ(h.position_row(position).state, "closing");
  EXPECT_EQ(h.commands_of(position).size(), backoffs.size() + 1);
}

TEST(WorkflowBreach, TheRetryBackoffIsConfigurable) {
  core::WorkflowOptions options;
  options.retry_backoff_ms = 250;
  Harness h(options);
  auto [device, position] = h.open_position();
  h.breach(position);
  h.ea(device, "client.close_ack", close_ack(h.deliver_commands(device).at(0), "failed"));
  h.advance(249);
  EXPECT_TRUE(h.deliver_commands(device).empty());
  h.advance(1);
  EXPECT_EQ(h.deliver_commands(device).size(), 1u);
}

TEST(WorkflowBreach, AnExecutionReportedAfterExpiryClosesThePositionAndEndsTheNewCommand) {
  Harness h;
  auto [device, position] = h.open_position();
  h.breach(position);
  std::string first = h.deliver_commands(device).at(0);
  h.advance(300'000);
  std::string second = live_command(h, position).id;
  json answer = h.ea(device, "client.close_ack", close_ack(first, "executed"));
  EXPECT_EQ(answer.at("position_state"), "closed");
  EXPECT_EQ(h.position_row(position).state, "closed");
  for (const Command& c : h.commands_of(position))
    EXPECT_NE(c.status, "pending") << c.id << " still live after the position closed";
  EXPECT_EQ(h.ea(device, "client.close_ack", close_ack(first, "executed")), answer);
  EXPECT_TRUE(h.deliver_commands(device).empty());
  EXPECT_EQ(h.actions(second).back(), "expired");
}

TEST(WorkflowBreach, APartialCloseLeavesTheRestOpen) {
  Harness h;
  auto [device, position] = h.open_position();
  h.breach(position, "ladder", 110'500, 110'500, 4'000'000);  // 0.04 of 0.10
  Command c = live_command(h, position);
  EXPECT_EQ(c.volume, "0.04");
  EXPECT_EQ(h.position_row(position).state, "open") << "a partial close does not move the position to closing";
  json answer = h.ea(device, "client.close_ack", close_ack(h.deliver_commands(device).at(0), "executed"));
  EXPECT_EQ(answer.at("position_state"), "open");
  EXPECT_EQ(h.position_row(position).filled_volume, "0.06");
  EXPECT_TRUE(h.engines().watched(position));
  EXPECT_EQ(h.actions(position).back(), "partially_closed");
}

// Executes the partial closes the device is given (which may hold a full
// close back) and lets the re-issue delays pass, a few times.
void execute_partial_closes(Harness& h, const std::string& device) {
  for (int round = 0; round < 3; ++round) {
    for (const std::string& id : h.deliver_commands(device))
      if (!h.rows<Command>(id).at(0).volume.empty()) h.ea(device, "client.close_ack", close_ack(id, "executed"));
    h.advance(61'000);
  }
}

// The full close must follow whatever happens to the partial close.
void expect_full_close_live(Harness& h, const std::string& position) {
  EXPECT_EQ(h.position_row(position).state, "closing");
  EXPECT_EQ(live_command(h, position).volume, "") << "the full close was lost";
}

TEST(WorkflowBreach, AFullCloseAskedWhileAPartialCloseIsLiveSurvivesThePartialsExpiry) {
  Harness h;
  auto [device, position] = h.open_position();
  h.breach(position, "ladder", 110'500, 110'500, 4'000'000);
  h.deliver_commands(device);
  h.breach(position, "sl_hit");
  h.advance(300'000);
  execute_partial_closes(h, device);
  expect_full_close_live(h, position);
}

TEST(WorkflowBreach, AFullCloseAskedWhileAPartialCloseIsLiveSurvivesThePartialsFailure) {
  Harness h;
  auto [device, position] = h.open_position();
  h.breach(position, "ladder", 110'500, 110'500, 4'000'000);
  std::string partial = h.deliver_commands(device).at(0);
  h.breach(position, "sl_hit");
  h.ea(device, "client.close_ack", close_ack(partial, "failed"));
  execute_partial_closes(h, device);
  expect_full_close_live(h, position);
}

TEST(WorkflowBreach, AFullCloseAskedWhileAPartialCloseIsLiveFollowsItsExecution) {
  Harness h;
  auto [device, position] = h.open_position();
  h.breach(position, "ladder", 110'500, 110'500, 4'000'000);
  std::string partial = h.deliver_commands(device).at(0);
  h.breach(position, "sl_hit");
  h.ea(device, "client.close_ack", close_ack(partial, "executed"));
  h.advance(0);
  expect_full_close_live(h, position);
  EXPECT_EQ(h.position_row(position).filled_volume, "0.06");
}

TEST(WorkflowBreach, APartialCloseOfTheRestClosesThePositionAndEndsItsWatch) {
  Harness h;
  auto [device, position] = h.open_position();
  h.breach(position, "ladder", 110'500, 110'500, 6'000'000);
  h.ea(device, "client.close_ack", close_ack(h.deliver_commands(device).at(0), "executed"));
  h.breach(position, "ladder", 111'000, 111'000, 4'000'000);
  json answer = h.ea(device, "client.close_ack", close_ack(h.deliver_commands(device).at(0), "executed"));
  EXPECT_EQ(answer.at("position_state"), "closed");
  EXPECT_EQ(h.position_row(position).state, "closed");
  EXPECT_FALSE(h.engines().watched(position)) << "a closed position is no longer judged";
  h.workflow().export_metrics(h.metrics());
  EXPECT_EQ(h.metrics().value("vigil_positions{state=\"open\"}"), 0);
}

TEST(WorkflowBreach, TheSameExecutionAckAfterAPartialCloseGetsTheSameAnswer) {
  Harness h;
  std::string client = h.client();
  std::string device = h.device(client);
  std::string position = h.signal(client).at(0);
  h.ea(device, "client.poll");
  json first = h.ea(device, "client.ack", h.execution(position, "T1"));
  h.breach(position, "ladder", 110'500, 110'500, 4'000'000);
  h.ea(device, "client.close_ack", close_ack(h.deliver_commands(device).at(0), "executed"));
  try {
    EXPECT_EQ(h.ea(device, "client.ack", h.execution(position, "T1")), first);
  } catch (const core::ApiError& e) {
    ADD_FAILURE() << "the same ack was refused after a partial close: " << e.code() << ": " << e.what();
  }
}

TEST(WorkflowBreach, ALevelMoveIsSavedAndAuditedByTheMaintenanceTick) {
  Harness h;
  auto [device, position] = h.open_position();
  core::RuleUpdate u;
  u.key = h.engines().key_of(position);
  u.instrument = 0;
  u.rule = 0;
  u.state = R"({"best":"1.10200"})";
  u.levels = {{1, 109'700}};
  u.time_unix_ms = h.now();
  h.workflow().on_engine_output({}, {u});
  int64_t version = h.position_row(position).version;
  h.advance(200);
  Position row = h.position_row(position);
  EXPECT_EQ(row.version, version + 1);
  EXPECT_NE(row.rule_state_json.find("rule-sltp"), std::string::npos) << row.rule_state_json;
  EXPECT_EQ(h.actions(position).back(), "levels_moved");
  Audit moved = h.audit().back();
  EXPECT_EQ(json::parse(moved.detail_json), (json{{"rule", "rule-sltp"}, {"levels", {{"1", "1.09700"}}}}));
  EXPECT_EQ(h.admin("admin.get_position", {}, position).at("rule_states").at("rule-sltp"), u.state);
}

TEST(WorkflowBreach, MetricsCountBreachesCommandsAndLivePositions) {
  Harness h;
  auto [device, position] = h.open_position();
  h.workflow().export_metrics(h.metrics());
  EXPECT_EQ(h.metrics().value("vigil_positions{state=\"open\"}"), 1);
  h.breach(position);
  h.workflow().export_metrics(h.metrics());
  EXPECT_EQ(h.metrics().value("vigil_positions{state=\"open\"}"), 0);
  EXPECT_EQ(h.metrics().value("vigil_positions{state=\"closing\"}"), 1);
  EXPECT_EQ(h.metrics().value("vigil_close_commands_live"), 1);
  EXPECT_EQ(h.metrics().value("vigil_breaches_total"), 1);
  EXPECT_EQ(h.metrics().value("vigil_close_commands_issued_total"), 1);
  h.ea(device, "client.close_ack", close_ack(h.deliver_commands(device).at(0), "failed"));
  h.advance(1'000);
  h.advance(300'000);
  h.workflow().export_metrics(h.metrics());
  EXPECT_EQ(h.metrics().value("vigil_close_commands_failed_total"), 1);
  EXPECT_EQ(h.metrics().value("vigil_close_commands_expired_total"), 1);
  EXPECT_EQ(h.metrics().value("vigil_close_commands_issued_total"), 3);
}

}  // namespace
}  // namespace vigil::test::workflow
