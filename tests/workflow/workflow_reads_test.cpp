// The operator's lists (admin.list_*, admin.audit) and device deactivation:
// pages, filters, cursors, refusals naming the parameter, the index kept in
// step with every change and rebuilt from the store after a restart.
#include "workflow_harness.hpp"

namespace vigil::test::workflow {
namespace {

const Refusal kInvalid{VIGIL_INVALID_ARGUMENT, "invalid_argument"};
const Refusal kNotFound{VIGIL_NOT_FOUND, "not_found"};
const Refusal kUnauthenticated{VIGIL_UNAUTHENTICATED, "unauthenticated"};

// One list call with query parameters (as the transport passes them) and
// path parameters.
json list(Harness& h, std::string_view operation, const json& query = json::object(),
          const std::map<std::string, std::string>& path = {}) {
  core::JsonFields params;
  params["query"].kind = core::JsonField::Kind::object;
  params["query"].value = query;
  for (const auto& [name, value] : path) params[name] = {core::JsonField::Kind::string, value, value};
  return json::parse(core::WorkflowApi(h.workflow()).call(operation, "admin", params, ""));
}

// The call's refusal message; fails the test when it was answered.
std::string refusal(Harness& h, const Refusal& expected, std::string_view operation, const json& query,
                    const std::map<std::string, std::string>& path = {}) {
  try {
    json answer = list(h, operation, query, path);
    ADD_FAILURE() << operation << " was answered: " << answer.dump();
  } catch (const core::ApiError& e) {
    EXPECT_EQ(e.status(), expected.status) << e.what();
    EXPECT_EQ(e.code(), expected.code) << e.what();
    return e.what();
  }
  return {};
}

std::vector<std::string> ids(const json& page, const char* field) {
  std::vector<std::string> out;
  for (const json& item : page.at("items")) out.push_back(item.at(field));
  return out;
}

// Every item of a list, following next_cursor, `limit` at a time.
std::vector<std::string> all_pages(Harness& h, std::string_view operation, json query, const char* field, int limit) {
  std::vector<std::string> out;
  query["limit"] = std::to_string(limit);
  for (;;) {
    json page = list(h, operation, query);
    EXPECT_LE(page.at("items").size(), static_cast<size_t>(limit));
    for (const std::string& id : ids(page, field)) out.push_back(id);
    if (page.at("next_cursor").is_null()) return out;
    query["cursor"] = page.at("next_cursor");
  }
}

TEST(WorkflowReads, PositionsArePagedInOrderWithACursor) {
  Harness h;
  std::string client = h.client();
  h.device(client);
  std::vector<std::string> created;
  for (int i = 0; i < 7; ++i)
    for (const std::string& p : h.signal(client)) created.push_back(p);
  EXPECT_EQ(all_pages(h, "admin.list_positions", json::object(), "position_id", 3), created);
  json first = list(h, "admin.list_positions", {{"limit", "7"}});
  EXPECT_EQ(first.at("items").size(), 7u);
  EXPECT_TRUE(first.at("next_cursor").is_null()) << "an exact last page says so";
  EXPECT_EQ(first["items"][0]["owner_sl"], "1.09000") << "the operator sees the hidden levels";
}

TEST(WorkflowReads, PositionFiltersFollowStateChanges) {
  Harness h;
  auto [device, open] = h.open_position("T1");
  std::string client = h.rows<Device>(device).at(0).client_id;
  std::string pending = h.signal(client).at(0);
  auto of = [&](json query) { return ids(list(h, "admin.list_positions", query), "position_id"); };
  EXPECT_EQ(of({{"state", "open"}}), std::vector<std::string>{open});
  EXPECT_EQ(of({{"state", "pending"}, {"device_id", device}}), std::vector<std::string>{pending});
  EXPECT_EQ(of({{"client_id", client}, {"instrument", "EURUSD"}}), (std::vector<std::string>{open, pending}));
  EXPECT_TRUE(of({{"client_id", "cl_nobody"}}).empty());
  EXPECT_TRUE(of({{"instrument", "XAUUSD"}}).empty());

  h.breach(open);
  EXPECT_EQ(of({{"state", "closing"}}), std::vector<std::string>{open});
  EXPECT_TRUE(of({{"state", "open"}}).empty());
  std::string command = h.deliver_commands(device).at(0);
  h.ea(device, "client.close_ack",
       {{"command_id", command}, {"status", "executed"}, {"actual_close_price", "1.08990"}, {"broker_deal", "D1"}});
  EXPECT_EQ(of({{"state", "closed"}}), std::vector<std::string>{open}) << "an ended position stays listed";

  h.restart();
  EXPECT_EQ(of({{"state", "closed"}}), std::vector<std::string>{open}) << "rebuilt from the store";
  EXPECT_EQ(of({{"state", "pending"}}), std::vector<std::string>{pending});
}

TEST(WorkflowReads, BadFiltersAreRefusedNamingTheParameter) {
  Harness h;
  EXPECT_NE(refusal(h, kInvalid, "admin.list_positions", {{"state", "opened"}}).find("'state'"), std::string::npos);
  EXPECT_NE(refusal(h, kInvalid, "admin.list_positions", {{"limit", "0"}}).find("'limit'"), std::string::npos);
  EXPECT_NE(refusal(h, kInvalid, "admin.list_positions", {{"limit", "1001"}}).find("'limit'"), std::string::npos);
  EXPECT_NE(refusal(h, kInvalid, "admin.list_positions", {{"limit", "9999999999999999999999"}}).find("'limit'"),
            std::string::npos);
  EXPECT_NE(refusal(h, kInvalid, "admin.list_positions", {{"cursor", "pos_unknown"}}).find("'cursor'"),
            std::string::npos);
  EXPECT_NE(refusal(h, kInvalid, "admin.list_positions", {{"colour", "red"}}).find("'colour'"), std::string::npos);
  EXPECT_NE(refusal(h, kInvalid, "admin.list_close_commands", {{"overdue", "yes"}}).find("'overdue'"),
            std::string::npos);
  EXPECT_NE(refusal(h, kInvalid, "admin.list_close_commands", {{"state", "done"}}).find("'state'"), std::string::npos);
  EXPECT_NE(refusal(h, kInvalid, "admin.audit", {{"after_seq", "-1"}}).find("'after_seq'"), std::string::npos);
  EXPECT_NE(refusal(h, kInvalid, "admin.audit", {{"position_id", ""}}).find("'position_id'"), std::string::npos);
  refusal(h, kNotFound, "admin.audit", {{"position_id", "pos_unknown"}});
}

TEST(WorkflowReads, CloseCommandsAreFilteredByStateAndOverdue) {
  core::WorkflowOptions options;
  options.command_alert_after_ms = 30'000;
  Harness h(options);
  auto [device, position] = h.open_position("T1");
  h.breach(position);
  auto of = [&](json query) { return ids(list(h, "admin.list_close_commands", query), "command_id"); };
  std::vector<std::string> live = of({{"state", "pending"}});
  ASSERT_EQ(live.size(), 1u);
  EXPECT_TRUE(of({{"overdue", "true"}}).empty());
  EXPECT_EQ(of({{"overdue", "false"}}), live);
  h.advance(31'000);
  EXPECT_EQ(of({{"overdue", "true"}}), live);
  EXPECT_EQ(list(h, "admin.list_close_commands", {{"overdue", "true"}})["items"][0]["overdue"], true);
  EXPECT_TRUE(of({{"state", "executed"}}).empty());
}

TEST(WorkflowReads, ClientsAndTheirDevicesAreListed) {
  Harness h;
  std::string a = h.client(), b = h.client();
  std::string d1 = h.device(a), d2 = h.device(a);
  std::vector<std::string> clients = all_pages(h, "admin.list_clients", json::object(), "client_id", 1);
  EXPECT_EQ(clients.size(), 2u);
  json devices = list(h, "admin.list_devices", json::object(), {{"client_id", a}});
  std::vector<std::string> got = ids(devices, "device_id"), want{d1, d2};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(got, want);
  EXPECT_EQ(devices["items"][0]["active"], true);
  EXPECT_FALSE(devices["items"][0].contains("secret_token"));
  EXPECT_TRUE(list(h, "admin.list_devices", json::object(), {{"client_id", b}})["items"].empty());
  refusal(h, kNotFound, "admin.list_devices", json::object(), {{"client_id", "cl_nobody"}});
}

TEST(WorkflowReads, ADeactivatedDeviceIsRefusedAsUnknownAndItsPositionStaysWatched) {
  Harness h;
  auto [device, position] = h.open_position("T1");
  std::string client = h.rows<Device>(device).at(0).client_id;
  json answer = list(h, "admin.deactivate_device", json::object(), {{"device_id", device}});
  EXPECT_EQ(answer["active"], false);
  EXPECT_FALSE(h.workflow().device_secret(device)) << "the transport's verification now fails";
  h.ea_refused(kUnauthenticated, device, "client.poll");
  EXPECT_TRUE(h.engines().watched(position));
  EXPECT_FALSE(h.rows<Device>(device).at(0).active);
  EXPECT_EQ(h.actions(device), (std::vector<std::string>{"created", "deactivated"}));
  list(h, "admin.deactivate_device", json::object(), {{"device_id", device}});  // idempotent
  EXPECT_EQ(h.actions(device).size(), 2u);
  EXPECT_EQ(list(h, "admin.list_devices", json::object(), {{"client_id", client}})["items"][0]["active"], false);

  h.restart();
  EXPECT_FALSE(h.workflow().device_secret(device)) << "deactivation is stored";
  EXPECT_TRUE(h.engines().watched(position));
  refusal(h, kNotFound, "admin.deactivate_device", json::object(), {{"device_id", "dev_nobody"}});
}

TEST(WorkflowReads, AuditRowsArePagedByPositionAndTheChainVerifies) {
  Harness h;
  auto [device, position] = h.open_position("T1");
  h.open_position("T2");
  h.breach(position);
  json all = list(h, "admin.audit", {{"limit", "1000"}});
  EXPECT_TRUE(all["next_cursor"].is_null());
  EXPECT_EQ(all["items"].size(), h.audit().size());
  EXPECT_EQ(all["chain"]["verified"], true);
  EXPECT_EQ(all["chain"]["verified_through"], all["items"].back()["seq"]);
  for (const json& row : all["items"]) EXPECT_TRUE(row["detail"].is_object()) << "the stored detail, as JSON: " << row;

  json first = list(h, "admin.audit", {{"limit", "2"}});
  ASSERT_EQ(first["items"].size(), 2u);
  json second = list(h, "admin.audit", {{"limit", "2"}, {"after_seq", first["next_cursor"].get<std::string>()}});
  EXPECT_EQ(second["items"][0]["seq"], 3);

  json mine = list(h, "admin.audit", {{"position_id", position}, {"limit", "1000"}});
  std::vector<std::string> entities;
  for (const json& row : mine["items"]) entities.push_back(row["entity_id"]);
  ASSERT_FALSE(entities.empty());
  EXPECT_EQ(entities.front(), position);
  std::string command = h.commands_of(position).at(0).id;
  EXPECT_NE(std::find(entities.begin(), entities.end(), command), entities.end()) << "its commands' rows too";
  for (const std::string& e : entities) EXPECT_TRUE(e == position || e == command) << e;
}

}  // namespace
}  // namespace vigil::test::workflow
