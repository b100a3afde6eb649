// One breach reaching many devices at once: the books of one engine output
// commit side by side, and deliveries asked for at the same time in one
// book share a commit (Workflow::close_commands). What must hold whatever
// the interleaving: every device gets exactly its own commands, each
// command is delivered (and audited) once.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <thread>

#include "workflow_harness.hpp"

namespace vigil::test::workflow {
namespace {

// `devices` devices of one client, each with an open position: device -> position.
std::map<std::string, std::string> open_positions(Harness& h, const std::string& client, int devices) {
  std::vector<std::string> ids;
  for (int i = 0; i < devices; ++i) ids.push_back(h.device(client));
  std::map<std::string, std::string> position_of;
  std::vector<std::string> positions = h.signal(client);
  for (const std::string& d : ids) {
    json polled = h.ea(d, "client.poll");
    std::string p = polled.at("positions").at(0).at("position_id");
    h.ea(d, "client.ack", h.execution(p, "T-" + p));
    position_of[d] = p;
  }
  return position_of;
}

core::CloseEvent stop_hit(Harness& h, const std::string& position) {
  core::CloseEvent e;
  e.key = h.engines().key_of(position);
  core::Instruments instruments;
  e.instrument = instruments.add("EURUSD", 5);  // the harness's first instrument, so the same id
  e.reason = "sl_hit";
  e.price = 108'990;
  e.level = 109'000;
  e.time_unix_ms = h.now();
  return e;
}

TEST(WorkflowFanOut, OneOutputBreachingManyClientsIssuesEveryCommand) {
  Harness h;
  std::vector<std::pair<std::string, std::string>> opened;
  for (int i = 0; i < 40; ++i) opened.push_back(h.open_position("T" + std::to_string(i)));
  std::vector<core::CloseEvent> events;
  for (const auto& [device, position] : opened) events.push_back(stop_hit(h, position));
  h.workflow().on_engine_output(events, {});
  for (const auto& [device, position] : opened) {
    EXPECT_EQ(h.position_row(position).state, "closing") << position;
    EXPECT_EQ(h.commands_of(position).size(), 1u) << position;
  }
}

TEST(WorkflowFanOut, DevicesAskingAtOnceEachGetTheirOwnCommandDeliveredOnce) {
  Harness h;
  std::string client = h.client();
  auto position_of = open_positions(h, client, 24);
  std::vector<core::CloseEvent> events;
  for (const auto& [device, position] : position_of) events.push_back(stop_hit(h, position));
  h.workflow().on_engine_output(events, {});

  // Every device asks twice at the same moment, on as many threads.
  std::map<std::string, std::vector<json>> answers;
  for (const auto& entry : position_of) answers[entry.first].resize(2);
  std::vector<std::thread> askers;
  for (auto& [device, slots] : answers)
    for (json& slot : slots) askers.emplace_back([&h, &slot, d = device] { slot = h.ea(d, "client.close_commands"); });
  for (auto& t : askers) t.join();

  for (const auto& [device, slots] : answers) {
    const std::string& position = position_of.at(device);
    std::string command = h.commands_of(position).at(0).id;
    for (const json& answer : slots) {
      ASSERT_EQ(answer.at("commands").size(), 1u) << answer.dump();
      EXPECT_EQ(answer.at("commands").at(0).at("position_id"), position);
      EXPECT_EQ(answer.at("commands").at(0).at("command_id"), command);
    }
    EXPECT_EQ(h.rows<Command>(command).at(0).status, "acknowledged");
    std::vector<std::string> actions = h.actions(command);
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "delivered"), 1) << command;
  }
}

json deactivate(Harness& h, const std::string& device) {
  core::JsonFields params;
  params["device_id"] = {core::JsonField::Kind::string, device, device};
  return json::parse(core::WorkflowApi(h.workflow()).call("admin.deactivate_device", "admin", params, ""));
}

TEST(WorkflowFanOut, ADeactivatedDevicesCommandsGoToTheClientsOtherDevices) {
  Harness h;
  std::string client = h.client();
  auto position_of = open_positions(h, client, 3);
  auto it = position_of.begin();
  auto [gone, gone_position] = *it++;
  std::string replacement = it++->first, other = it->first;
  h.breach(gone_position);
  std::string command = h.commands_of(gone_position).at(0).id;
  deactivate(h, gone);
  // Both active devices are given it, delivered once; the first close-ack settles it.
  EXPECT_EQ(h.deliver_commands(replacement), std::vector<std::string>{command});
  EXPECT_EQ(h.deliver_commands(other), std::vector<std::string>{command});
  std::vector<std::string> actions = h.actions(command);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "delivered"), 1);
  json ack{{"command_id", command}, {"status", "executed"}, {"actual_close_price", "1.08990"}};
  json answer = h.ea(replacement, "client.close_ack", ack);
  EXPECT_EQ(answer.at("position_state"), "closed");
  EXPECT_EQ(h.ea(other, "client.close_ack", ack), answer) << "the same result repeated, the same answer";
  EXPECT_EQ(h.position_row(gone_position).state, "closed");

  // A command of an active device stays its own.
  h.breach(position_of.at(other));
  std::string others = h.commands_of(position_of.at(other)).at(0).id;
  EXPECT_TRUE(h.deliver_commands(replacement).empty());
  h.ea_refused({VIGIL_NOT_FOUND, "not_found"}, replacement, "client.close_ack",
               {{"command_id", others}, {"status", "executed"}, {"actual_close_price", "1.08990"}});
}

}  // namespace
}  // namespace vigil::test::workflow
