// vigil-ea run for real against vigild over loopback: positions opened with
// the simulated slippage and partial fill, a breaching tick pushed through
// the admin API, every close command executed once, failed closes retried
// by the server until executed, and the final states read back.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "examples/ea-client/decimal.hpp"
#include "tests/ea-client/dropping_proxy.hpp"
#include "tests/ea-client/vigild_server.hpp"

namespace vigil::test {
namespace {

using nlohmann::json;

std::vector<json> json_lines(const std::string& out) {
  std::vector<json> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  return lines;
}

bool eventually(const std::function<bool()>& done, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

double number(const json& value) {
  return std::stod(value.get<std::string>());
}

class EaLoopEndToEnd : public ::testing::Test {
 protected:
  VigildServer server;
  ea::AdminApi admin = server.admin();
  std::string client_id = admin.create_client("alice");
  ea::Credentials device = admin.create_device(client_id, "terminal-1");
  std::string secret_file = server.write_file("device.secret", device.secret + "\n");

  std::string open_signal(const std::string& instrument, const std::string& side, json levels) {
    json body = {{"client_id", client_id}, {"instrument", instrument}, {"side", side}, {"volume", "2"}};
    body.update(levels);
    return admin.create_signal(body)["positions"][0]["position_id"];
  }
  // vigil-ea's command line for this device; `url` defaults to the server's.
  std::vector<std::string> vigil_ea(std::vector<std::string> extra, std::string url = "") {
    std::vector<std::string> args = {
        built_binary("vigil-ea"), "--url",    url.empty() ? server.url() : url, "--device-id", device.device_id,
        "--secret-file",          secret_file};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
  bool all_in_state(const std::vector<std::string>& ids, const std::string& state) {
    for (const auto& id : ids)
      if (admin.position(id)["state"] != state) return false;
    return true;
  }
};

TEST_F(EaLoopEndToEnd, ExecutesEveryBreachOnceAndRetriesFailedClosesUntilExecuted) {
  json buy_levels = {{"entry_price", "1.10000"}, {"owner_sl", "1.09000"}, {"owner_tp", "1.11000"}};
  json sell_levels = {{"entry_price", "1.10000"}, {"owner_sl", "1.11000"}, {"owner_tp", "1.09000"}};
  std::vector<std::string> buys = {open_signal("EURUSD", "buy", buy_levels), open_signal("EURUSD", "buy", buy_levels)};
  std::string sell = open_signal("EURUSD", "sell", sell_levels);
  std::string untouched = open_signal("USDJPY", "buy", {{"entry_price", "150.000"}, {"owner_sl", "149.000"}});
  std::vector<std::string> eurusd = {buys[0], buys[1], sell};

  ChildProcess ea(
      vigil_ea({"--slippage-points", "3", "--partial-fill-ratio", "0.5", "--fail-every", "2", "--wait", "1"}));
  ASSERT_TRUE(eventually([&] { return all_in_state({buys[0], buys[1], sell, untouched}, "open"); }, 15000));
  for (const auto& id : buys) EXPECT_EQ(admin.position(id)["actual_entry_price"], "1.10003");
  EXPECT_EQ(admin.position(sell)["actual_entry_price"], "1.09997");
  EXPECT_EQ(number(admin.position(sell)["filled_volume"]), 1.0);

  admin.tick("EURUSD", "1.08990", "1.08992");  // buys: bid <= sl; the sell: ask <= tp
  // Closes 2, 4, ... fail at the simulated broker; the server re-issues them with backoff.
  bool closed = eventually([&] { return all_in_state(eurusd, "closed"); }, 60000);
  ea.send_signal(SIGTERM);
  ProcessResult run = ea.wait(10000);
  ASSERT_TRUE(closed) << run.out;
  EXPECT_EQ(run.exit_code, 0) << run.err;

  std::vector<json> lines = json_lines(run.out);
  std::map<std::string, int> executions;  // command id -> times the EA traded it
  int failed = 0;
  for (const json& line : lines) {
    if (line["action"] == "open") {
      EXPECT_EQ(line["slippage"]["points"], 3) << line;
      EXPECT_EQ(line["fill_ratio"], "0.5") << line;
    }
    if (line["action"] != "close" || line["resent"] == true) continue;
    ++executions[line["command_id"]];
    failed += line["status"] == "failed" ? 1 : 0;
  }
  EXPECT_GE(failed, 1);
  std::set<std::string> server_commands;
  for (const auto& id : eurusd) {
    json view = admin.position(id);
    int executed = 0;
    for (const json& command : view["close_commands"]) {
      server_commands.insert(command["command_id"].get<std::string>());
      executed += command["status"] == "executed" ? 1 : 0;
      if (command["status"] == "failed") {
        EXPECT_EQ(command["error_message"].get<std::string>().rfind("simulated", 0), 0u);
      }
    }
    EXPECT_EQ(executed, 1) << view;
    bool is_buy = view["side"] == "buy";
    EXPECT_EQ(view["close_reason"], is_buy ? "sl_hit" : "tp_hit");
    EXPECT_EQ(view["close_price"], is_buy ? "1.08987" : "1.08995");  // expected price, 3 points worse
  }
  for (const auto& [id, times] : executions) EXPECT_EQ(times, 1) << id;
  EXPECT_EQ(executions.size(), server_commands.size());
  for (const auto& id : server_commands) EXPECT_EQ(executions.count(id), 1u) << id;
  json kept = admin.position(untouched);
  EXPECT_EQ(kept["state"], "open");
  EXPECT_TRUE(kept["close_commands"].empty());
}

TEST_F(EaLoopEndToEnd, OnceOpensWaitingPositionsRejectsMarketOrdersAndExits) {
  std::string priced = open_signal("EURUSD", "buy", {{"entry_price", "1.20000"}});
  std::string market = open_signal("EURUSD", "sell", json::object());
  ProcessResult run = run_process(vigil_ea({"--once", "--wait", "0"}));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(admin.position(priced)["state"], "open");
  EXPECT_EQ(admin.position(priced)["actual_entry_price"], "1.20000");
  json rejected = admin.position(market);
  EXPECT_EQ(rejected["state"], "rejected");
  EXPECT_NE(rejected["error_message"].get<std::string>().find("no quote"), std::string::npos);
}

TEST_F(EaLoopEndToEnd, AWrongSecretEndsTheLoopNamingTheDeviceAndTheRefusal) {
  std::string wrong = server.write_file("wrong.secret", std::string(64, '0'));
  std::vector<std::string> args = vigil_ea({"--once"});
  args[6] = wrong;
  ProcessResult run = run_process(args);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find(device.device_id), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("unauthenticated"), std::string::npos) << run.err;
}

TEST_F(EaLoopEndToEnd, ALongPollingEaHearsOfAManualCloseAtOnce) {
  std::string id = open_signal("EURUSD", "buy", {{"entry_price", "1.10000"}});
  ChildProcess ea(vigil_ea({"--wait", "30"}));
  ASSERT_TRUE(eventually([&] { return admin.position(id)["state"] == "open"; }, 5000));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // parked in its long-poll
  auto pushed = std::chrono::steady_clock::now();
  ASSERT_EQ(admin.call("POST", "/positions/" + id + "/close", {{"reason", "manual"}}).status, 202);
  bool closed = eventually([&] { return admin.position(id)["state"] == "closed"; }, 5000);
  auto took = std::chrono::steady_clock::now() - pushed;
  ea.send_signal(SIGTERM);
  ProcessResult run = ea.wait(10000);
  ASSERT_TRUE(closed) << run.out << run.err;
  // Well under the 30 s wait: the server woke the parked request.
  EXPECT_LT(took, std::chrono::seconds(3));
  EXPECT_EQ(run.exit_code, 0);
  json view = admin.position(id);
  EXPECT_EQ(view["close_reason"], "manual");
  EXPECT_EQ(view["close_price"], "1.10000");  // no expected price: closed where the entry was filled
}

TEST_F(EaLoopEndToEnd, ALostCloseAckIsSentAgainWithoutTradingTwice) {
  std::string id = open_signal("EURUSD", "buy", {{"entry_price", "1.10000"}, {"owner_sl", "1.09000"}});
  DroppingProxy proxy(server.port(), "POST /api/v1/client/close-ack", 2);
  ChildProcess ea(vigil_ea({"--wait", "1"}, "http://127.0.0.1:" + std::to_string(proxy.port())));
  ASSERT_TRUE(eventually([&] { return admin.position(id)["state"] == "open"; }, 10000));
  admin.tick("EURUSD", "1.08990", "1.08992");
  bool closed = eventually([&] { return admin.position(id)["state"] == "closed"; }, 15000);
  ea.send_signal(SIGTERM);
  ProcessResult run = ea.wait(10000);
  ASSERT_TRUE(closed) << run.out;
  EXPECT_EQ(proxy.seen(), 3);  // the first try, libcurl's own retry, then the resend went through
  std::vector<json> closes;
  for (const json& line : json_lines(run.out))
    if (line["action"] == "close") closes.push_back(line);
  // Traded once; the answer that never arrived was sent again when the
  // server delivered the same command again.
  ASSERT_EQ(closes.size(), 2u) << run.out;
  EXPECT_EQ(closes[0]["resent"], false);
  EXPECT_EQ(closes[0]["http_status"], 0);
  EXPECT_EQ(closes[1]["resent"], true);
  EXPECT_EQ(closes[1]["command_id"], closes[0]["command_id"]);
  EXPECT_EQ(closes[1]["actual_close_price"], closes[0]["actual_close_price"]);
  EXPECT_EQ(closes[1]["position_state"], "closed");
  json view = admin.position(id);
  ASSERT_EQ(view["close_commands"].size(), 1u) << view;
  EXPECT_EQ(view["close_commands"][0]["status"], "executed");
  EXPECT_EQ(view["close_price"], "1.08990");
}

}  // namespace
}  // namespace vigil::test
