// vigild from the outside: starts, serves until told to stop, refuses to
// start on a bad plugin with one clear line.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <thread>

#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using vigil::test::built_binary;
using vigil::test::ChildProcess;
using vigil::test::run_process;

TEST(Vigild, RunsTheEmbeddedDefaultUntilSigtermThenExitsCleanly) {
  ChildProcess vigild({built_binary("vigild"), "--listen", "127.0.0.1:0"});
  ASSERT_TRUE(vigild.wait_for_output("vigild: ", 10000));
  vigild.send_signal(SIGTERM);
  auto result = vigild.wait(10000);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("stopping"), std::string::npos) << result.err;
}

TEST(Vigild, StopsOnSigintToo) {
  ChildProcess vigild({built_binary("vigild"), "--listen", "127.0.0.1:0"});
  ASSERT_TRUE(vigild.wait_for_output("vigild: ", 10000));
  vigild.send_signal(SIGINT);
  EXPECT_EQ(vigild.wait(10000).exit_code, 0);
}

TEST(Vigild, RefusesToStartWithALibraryThatIsNotAPlugin) {
  vigil::test::TempDir dir;
  std::string not_a_library = dir.write("fake.so", "just text");
  auto result = run_process({built_binary("vigild"), "--plugin", not_a_library});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "vigild: " + not_a_library + ": not a shared library (file too short)\n");
}

TEST(Vigild, NamesTheFileLineAndKeyOfABadConfig) {
  vigil::test::TempDir dir;
  std::string config = dir.write("bad.yaml", "instruments:\n  - {symbol: EURUSD, digits: 99}\n");
  auto result = run_process({built_binary("vigild"), "--config", config});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "vigild: " + config + ":2: instruments[0].digits: expected a whole number from 0 to 10\n");
}

TEST(Vigild, RefusesAnInlineSecret) {
  vigil::test::TempDir dir;
  std::string config = dir.write("bad.yaml", "secrets:\n  admin_token: hunter2\n");
  auto result = run_process({built_binary("vigild"), "--config", config});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find(":2: secrets.admin_token: secrets are never written in the config"), std::string::npos)
      << result.err;
  EXPECT_EQ(result.err.find("hunter2"), std::string::npos);
}

TEST(Vigild, ServesHealthAndMetricsOverHttpWithMovingPrices) {
  ChildProcess vigild({built_binary("vigild"), "--listen", "127.0.0.1:0"});
  ASSERT_TRUE(vigild.wait_for_output("listening on http://127.0.0.1:", 10000));
  uint16_t port = vigild.listening_port();
  auto health = vigil::test::http(port, "GET", "/healthz");
  EXPECT_EQ(health.status, 200) << health.body;
  EXPECT_NE(health.body.find(R"x("name":"feeds[0] (feed-synthetic)")x"), std::string::npos) << health.body;
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto metrics = vigil::test::http(port, "GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.body.find("vigil_ticks_accepted_total 0\n"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("vigil_ticks_accepted_total "), std::string::npos) << metrics.body;
  vigild.send_signal(SIGTERM);
  EXPECT_EQ(vigild.wait(10000).exit_code, 0);
}

TEST(Vigild, TurnsDegradedWhenAnInstrumentGoesStale) {
  vigil::test::TempDir dir;
  std::string ticks = dir.write("ticks.csv", "time,instrument,bid,ask\n1,EURUSD,1.1,1.1001\n");
  std::string config = dir.write("vigil.yaml",
                                 "instruments: [{symbol: EURUSD, digits: 5}]\n"
                                 "rules: [rule-sltp]\n"
                                 "guards: {stale_after_seconds: 2}\n"
                                 "feeds:\n  - plugin: feed-replay\n    options: {file: " +
                                     ticks +
                                     "}\n"
                                     "transport: {plugin: transport-http, options: {listen: "
                                     "\"127.0.0.1:0\"}}\n");
  ChildProcess vigild({built_binary("vigild"), "--config", config});
  ASSERT_TRUE(vigild.wait_for_output("listening on http://127.0.0.1:", 10000));
  uint16_t port = vigild.listening_port();
  auto fresh = vigil::test::http(port, "GET", "/healthz");
  EXPECT_EQ(fresh.status, 200) << fresh.body;
  std::this_thread::sleep_for(std::chrono::milliseconds(2800));
  auto stale = vigil::test::http(port, "GET", "/healthz");
  EXPECT_EQ(stale.status, 503) << stale.body;
  EXPECT_NE(stale.body.find(R"("stale_instruments":["EURUSD"])"), std::string::npos) << stale.body;
  vigild.send_signal(SIGTERM);
  EXPECT_EQ(vigild.wait(10000).exit_code, 0);
}

// A config file with no token keeps the admin API, and the console, closed
// (only the embedded default makes a token: first_run_test.cpp).
TEST(Vigild, KeepsTheAdminApiClosedWithoutAToken) {
  unsetenv("VIGIL_ADMIN_TOKEN");
  vigil::test::TempDir dir;
  std::string config = dir.write("vigil.yaml",
                                 "instruments: [{symbol: EURUSD, digits: 5}]\n"
                                 "rules: [rule-sltp]\n"
                                 "transport: {plugin: transport-http, options: {listen: \"127.0.0.1:0\"}}\n");
  ChildProcess vigild({built_binary("vigild"), "--config", config});
  ASSERT_TRUE(vigild.wait_for_output("listening on http://127.0.0.1:", 10000));
  auto console = vigil::test::http(vigild.listening_port(), "GET", "/console");
  EXPECT_EQ(console.status, 403) << console.body;
  EXPECT_NE(console.body.find(R"("code":"admin_api_closed")"), std::string::npos) << console.body;
  auto closed = vigil::test::http(vigild.listening_port(), "POST", "/api/v1/admin/ticks",
                                  R"({"instrument":"EURUSD","bid":"1.1","ask":"1.1001"})",
                                  "Authorization: Bearer anything-at-all-123\r\n");
  EXPECT_EQ(closed.status, 403) << closed.body;
  EXPECT_NE(closed.body.find(R"("code":"admin_api_closed")"), std::string::npos) << closed.body;
  vigild.send_signal(SIGTERM);
  auto result = vigild.wait(10000);
  EXPECT_NE(result.err.find("admin API closed"), std::string::npos) << result.err;
  EXPECT_EQ(result.out.find("console at"), std::string::npos) << result.out;
}

TEST(Vigild, TakesPushedPricesFromAnAuthenticatedAdmin) {
  setenv("VIGIL_ADMIN_TOKEN", "test-admin-token-0123456789", 1);
  ChildProcess vigild({built_binary("vigild"), "--listen", "127.0.0.1:0"});
  unsetenv("VIGIL_ADMIN_TOKEN");
  ASSERT_TRUE(vigild.wait_for_output("listening on http://127.0.0.1:", 10000));
  uint16_t port = vigild.listening_port();
  const std::string path = "/api/v1/admin/ticks", good = "Authorization: Bearer test-admin-token-0123456789\r\n";
  auto pushed = vigil::test::http(port, "POST", path, R"({"instrument":"EURUSD","bid":1.1,"ask":"1.10010"})", good);
  EXPECT_EQ(pushed.status, 202) << pushed.body;
  auto no_token = vigil::test::http(port, "POST", path, R"({"instrument":"EURUSD","bid":"1.1"})");
  EXPECT_EQ(no_token.status, 401) << no_token.body;
  auto wrong = vigil::test::http(port, "POST", path, R"({"instrument":"EURUSD","bid":"1.1"})",
                                 "Authorization: Bearer test-admin-token-0123456780\r\n");
  EXPECT_EQ(wrong.status, 401) << wrong.body;
  auto too_precise =
      vigil::test::http(port, "POST", path, R"({"instrument":"EURUSD","bid":"1.100001","ask":"1.2"})", good);
  EXPECT_EQ(too_precise.status, 400);
  EXPECT_NE(too_precise.body.find("field 'bid'"), std::string::npos) << too_precise.body;
  auto unknown = vigil::test::http(port, "POST", path, R"({"instrument":"NOPE","bid":"1"})", good);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.body.find("field 'instrument'"), std::string::npos) << unknown.body;
  auto malformed = vigil::test::http(port, "POST", path, R"({"instrument":)", good);
  EXPECT_EQ(malformed.status, 400) << malformed.body;
  vigild.send_signal(SIGTERM);
  EXPECT_EQ(vigild.wait(10000).exit_code, 0);
}
