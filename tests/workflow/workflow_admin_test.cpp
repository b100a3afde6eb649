// The admin operations (docs/http-api.md): clients, devices, signals,
// the position view and the manual close, with every refusal.
#include "workflow_harness.hpp"

namespace vigil::test::workflow {
namespace {

const Refusal kInvalid{VIGIL_INVALID_ARGUMENT, "invalid_argument"};
const Refusal kNotFound{VIGIL_NOT_FOUND, "not_found"};
const Refusal kNotOpen{VIGIL_CONFLICT, "position_not_open"};

TEST(WorkflowAdmin, ACreatedClientIsStoredAndAudited) {
  Harness h;
  std::string id = h.client();
  EXPECT_EQ(h.rows<Client>(id).size(), 1u);
  EXPECT_EQ(h.actions(id), std::vector<std::string>{"created"});
}

TEST(WorkflowAdmin, AClientWithoutANameIsRefusedNamingTheField) {
  Harness h;
  core::ApiError e = h.admin_refused(kInvalid, "admin.create_client", json::object());
  EXPECT_NE(std::string(e.what()).find("name"), std::string::npos) << e.what();
  EXPECT_TRUE(h.rows<Client>().empty());
}

TEST(WorkflowAdmin, ADeviceGetsASecretShownOnceAndStoredEncrypted) {
  Harness h;
  std::string client = h.client();
  json answer = h.admin("admin.create_device", {{"name", "Terminal"}}, client);
  std::string device = answer.at("device_id"), secret = answer.at("device_secret");
  EXPECT_EQ(secret.size(), 64u);
  EXPECT_EQ(h.workflow().device_secret(device), secret);
  Device row = h.rows<Device>(device).at(0);
  EXPECT_EQ(row.client_id, client);
  EXPECT_EQ(row.secret_token.find(secret), std::string::npos) << "the secret is stored encrypted";
  EXPECT_EQ(h.actions(device), std::vector<std::string>{"created"});
}

TEST(WorkflowAdmin, ADeviceOfAnUnknownClientIsNotFound) {
  Harness h;
  h.admin_refused(kNotFound, "admin.create_device", {{"name", "Terminal"}}, "cl_nope");
  EXPECT_TRUE(h.rows<Device>().empty());
}

TEST(WorkflowAdmin, AnUnknownDeviceHasNoSecret) {
  Harness h;
  EXPECT_EQ(h.workflow().device_secret("dev_nope"), std::nullopt);
}

TEST(WorkflowAdmin, ASignalMakesOnePendingPositionPerDeviceOfItsClient) {
  Harness h;
  std::string client = h.client(), other = h.client();
  std::string d1 = h.device(client), d2 = h.device(client);
  h.device(other);
  json answer = h.admin("admin.create_signal", {{"client_id", client},
                                                {"instrument", "EURUSD"},
                                                {"side", "sell"},
                                                {"volume", 0.5},
                                                {"entry_price", "1.1"},
                                                {"owner_sl", "1.11000"},
                                                {"owner_tp", 1.09}});
  std::string signal = answer.at("signal_id");
  ASSERT_EQ(answer.at("positions").size(), 2u);
  std::set<std::string> devices;
  for (const json& p : answer.at("positions")) {
    devices.insert(p.at("device_id"));
    Position row = h.position_row(p.at("position_id"));
    EXPECT_EQ(row.state, "pending");
    EXPECT_EQ(row.signal_id, signal);
    EXPECT_EQ(row.side, VIGIL_SIDE_SELL);
    EXPECT_EQ(row.volume, "0.5");
    EXPECT_EQ(row.entry_price, "1.10000");
    EXPECT_EQ(row.owner_sl, "1.11000");
    EXPECT_EQ(row.owner_tp, "1.09000");
    EXPECT_EQ(h.actions(row.id), std::vector<std::string>{"pending"});
  }
  EXPECT_EQ(devices, (std::set<std::string>{d1, d2}));
  EXPECT_EQ(h.actions(signal), std::vector<std::string>{"created"});
}

TEST(WorkflowAdmin, ASignalsPayloadIsStoredEncrypted) {
  Harness h;
  std::string client = h.client();
  h.device(client);
  h.signal(client, {{"payload", {{"note", "plain-text-marker"}}}});
  Signal row = h.rows<Signal>().at(0);
  EXPECT_FALSE(row.payload_token.empty());
  EXPECT_EQ(row.payload_token.find("plain-text-marker"), std::string::npos);
}

TEST(WorkflowAdmin, BadSignalsAreRefusedNamingTheFieldAndWriteNothing) {
  Harness h;
  std::string client = h.client();
  h.device(client);
  json base = {{"client_id", client}, {"instrument", "EURUSD"}, {"side", "buy"}, {"volume", "0.10"}};
  struct Case {
    json change;
    std::string field;
  };
  for (const Case& c : std::vector<Case>{{{{"instrument", "NOPE"}}, "instrument"},
                                         {{{"side", "long"}}, "side"},
                                         {{{"volume", "0"}}, "volume"},
                                         {{{"volume", "-1"}}, "volume"},
                                         {{{"owner_sl", "1.123456"}}, "owner_sl"},
                                         {{{"owner_tp", "0"}}, "owner_tp"},
                                         {{{"rules", {{"rule-nope", json::object()}}}}, "rules.rule-nope"},
                                         {{{"catastrophe_stop", true}}, "catastrophe_stop"}}) {
    json body = base;
    body.update(c.change);
    core::ApiError e = h.admin_refused(kInvalid, "admin.create_signal", body);
    EXPECT_NE(std::string(e.what()).find(c.field), std::string::npos) << c.change.dump() << ": " << e.what();
  }
  json no_volume = base;
  no_volume.erase("volume");
  h.admin_refused(kInvalid, "admin.create_signal", no_volume);
  EXPECT_TRUE(h.rows<Signal>().empty());
  EXPECT_TRUE(h.rows<Position>().empty());
}

TEST(WorkflowAdmin, ASignalOfAnUnknownClientIsNotFound) {
  Harness h;
  h.admin_refused(kNotFound, "admin.create_signal",
                  {{"client_id", "cl_nope"}, {"instrument", "EURUSD"}, {"side", "buy"}, {"volume", "0.10"}});
}

TEST(WorkflowAdmin, LevelsTheRulesRefuseAreInvalidLevels) {
  Harness h;
  std::string client = h.client();
  h.device(client);
  h.engines().refusal = "owner_sl must be below owner_tp for a buy";
  core::ApiError e = h.admin_refused({VIGIL_INVALID_ARGUMENT, "invalid_levels"}, "admin.create_signal",
                                     {{"client_id", client},
                                      {"instrument", "EURUSD"},
                                      {"side", "buy"},
                                      {"volume", "0.10"},
                                      {"owner_sl", "1.2"},
                                      {"owner_tp", "1.1"}});
  EXPECT_STREQ(e.what(), "owner_sl must be below owner_tp for a buy");
  EXPECT_TRUE(h.rows<Position>().empty());
}

TEST(WorkflowAdmin, ThePositionViewShowsTheHiddenLevelsAndState) {
  Harness h;
  auto [device, position] = h.open_position("T7");
  json view = h.admin("admin.get_position", {}, position);
  EXPECT_EQ(view.at("state"), "open");
  EXPECT_EQ(view.at("owner_sl"), "1.09000");
  EXPECT_EQ(view.at("owner_tp"), "1.11000");
  EXPECT_EQ(view.at("broker_ticket"), "T7");
  EXPECT_EQ(view.at("device_id"), device);
  EXPECT_TRUE(view.at("close_commands").empty());
}

TEST(WorkflowAdmin, AnUnknownPositionIsNotFound) {
  Harness h;
  h.admin_refused(kNotFound, "admin.get_position", {}, "pos_nope");
  h.admin_refused(kNotFound, "admin.close_position", {{"reason", "manual"}}, "pos_nope");
}

TEST(WorkflowAdmin, AManualCloseIssuesACommandAndMovesThePositionToClosing) {
  Harness h;
  h.engines().market = 109'950;
  auto [device, position] = h.open_position();
  uint64_t key = h.engines().key_of(position);
  std::string command = h.admin("admin.close_position", {{"reason", "manual"}}, position).at("command_id");
  EXPECT_EQ(h.position_row(position).state, "closing");
  std::vector<Command> commands = h.commands_of(position);
  ASSERT_EQ(commands.size(), 1u);
  EXPECT_EQ(commands[0].id, command);
  EXPECT_EQ(commands[0].status, "pending");
  EXPECT_EQ(commands[0].reason, "manual");
  EXPECT_EQ(commands[0].expected_price, "1.09950");
  EXPECT_FALSE(h.engines().watched(position)) << "the engine no longer judges a position being closed";
  EXPECT_EQ(h.engines().unwatches, std::vector<uint64_t>{key});
  EXPECT_EQ(h.actions(command), std::vector<std::string>{"issued"});
  EXPECT_TRUE(in_order(h.actions(position), {"pending", "delivered", "opened", "closing"}));
  EXPECT_EQ(h.deliver_commands(device), std::vector<std::string>{command});
}

TEST(WorkflowAdmin, AManualCloseOfAPositionNotOpenIsAConflict) {
  Harness h;
  std::string client = h.client();
  h.device(client);
  std::string pending = h.signal(client).at(0);
  h.admin_refused(kNotOpen, "admin.close_position", {{"reason", "manual"}}, pending);
  auto [device, open] = h.open_position("T2");
  h.admin("admin.close_position", {{"reason", "manual"}}, open);
  h.admin_refused(kNotOpen, "admin.close_position", {{"reason", "manual"}}, open);
  std::string command = h.deliver_commands(device).at(0);
  h.ea(device, "client.close_ack", {{"command_id", command}, {"status", "executed"}, {"actual_close_price", "1.1"}});
  h.admin_refused(kNotOpen, "admin.close_position", {{"reason", "manual"}}, open);
  EXPECT_EQ(h.commands_of(open).size(), 1u);
}

TEST(WorkflowAdmin, AManualCloseForAnotherReasonIsRefused) {
  Harness h;
  auto [device, position] = h.open_position();
  h.admin_refused(kInvalid, "admin.close_position", {{"reason", "panic"}}, position);
  EXPECT_EQ(h.position_row(position).state, "open");
}

TEST(WorkflowAdmin, EaCallsOfAnUnknownDeviceAreUnauthenticated) {
  Harness h;
  for (const char* op : {"client.poll", "client.close_commands"})
    h.ea_refused({VIGIL_UNAUTHENTICATED, "unauthenticated"}, "dev_nope", op);
}

TEST(WorkflowAdmin, AnUnknownOperationIsNotHandled) {
  EXPECT_FALSE(core::WorkflowApi::handles("admin.delete_everything"));
  EXPECT_TRUE(core::WorkflowApi::handles("client.close_ack"));
}

}  // namespace
}  // namespace vigil::test::workflow
