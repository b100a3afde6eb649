// vigil replay from the outside (docs/breach-semantics.md, docs/cli.md and docs/file-formats.md).
#include <gtest/gtest.h>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using vigil::test::built_binary;
using vigil::test::run_process;
using vigil::test::TempDir;

namespace {

const char* kConfig = R"(instruments:
  - {symbol: EURUSD, digits: 5}
  - {symbol: XAUUSD, digits: 3}
rules:
  - plugin: rule-sltp
)";

class ReplayCommand : public ::testing::Test {
 protected:
  TempDir dir;
  std::string config = dir.write("vigil.yaml", kConfig);

  vigil::test::ProcessResult replay(const std::string& positions, const std::string& ticks,
                                    std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {built_binary("vigil"),
                                     "replay",
                                     "--config",
                                     config,
                                     "--positions",
                                     dir.write("positions.jsonl", positions),
                                     "--ticks",
                                     ticks};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_process(argv);
  }
  std::string csv(const std::string& rows) { return dir.write("ticks.csv", "time,instrument,bid,ask\n" + rows); }
};

}  // namespace

TEST_F(ReplayCommand, PrintsOneLinePerCloseInTickOrder) {
  auto result = replay(
      R"({"position_id":"b1","instrument":"EURUSD","side":"buy","volume":"1","entry_price":"1.1","owner_sl":"1.09","owner_tp":"1.11"}
{"position_id":"s1","instrument":"EURUSD","side":"sell","volume":"1","entry_price":"1.1","owner_sl":"1.105","owner_tp":"1.095"}
)",
      csv("2024-01-02T10:00:00.000Z,EURUSD,1.10000,1.10010\n"
          "2024-01-02T10:00:01.000Z,EURUSD,1.10400,1.10500\n"
          "2024-01-02T10:00:02.000Z,EURUSD,1.11000,1.11010\n"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(
      result.out,
      R"({"position_id":"s1","reason":"sl_hit","tick_index":1,"time":"2024-01-02T10:00:01.000Z","price":"1.10500","level":"1.10500","instrument":"EURUSD","side":"sell","time_ms":1704189601000})"
      "\n"
      R"({"position_id":"b1","reason":"tp_hit","tick_index":2,"time":"2024-01-02T10:00:02.000Z","price":"1.11000","level":"1.11000","instrument":"EURUSD","side":"buy","time_ms":1704189602000})"
      "\n");
}

TEST_F(ReplayCommand, RecordsTheWorseTickPriceAfterAGap) {
  auto result =
      replay(R"({"position_id":"b1","instrument":"EURUSD","side":"buy","volume":1,"entry_price":1.1,"owner_sl":1.095})"
             "\n",
             csv("1704189600000,EURUSD,1.1,1.1001\n1704189601000,EURUSD,1.09,1.0901\n"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find(R"("reason":"sl_hit","tick_index":1)"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find(R"("price":"1.09000","level":"1.09500")"), std::string::npos) << result.out;
}

TEST_F(ReplayCommand, IgnoresTicksBeforeAPositionOpened) {
  auto result = replay(
      R"({"position_id":"b1","instrument":"EURUSD","side":"buy","volume":1,"entry_price":1.1,"owner_sl":1.095,"opened_at":"2024-01-02T10:00:01Z"})"
      "\n",
      csv("2024-01-02T10:00:00Z,EURUSD,1.09,1.0901\n2024-01-02T10:00:01Z,EURUSD,1.094,1.0941\n"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find(R"("tick_index":1)"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find(R"("tick_index":0)"), std::string::npos) << result.out;
}

TEST_F(ReplayCommand, ReadsMetaTraderExportsWithBlankSides) {
  std::string ticks = dir.write("ticks.tsv",
                                "<DATE>\t<TIME>\t<BID>\t<ASK>\t<LAST>\t<VOLUME>\t<FLAGS>\n"
                                "2024.01.02\t10:00:00.000\t1.10000\t1.10010\t\t\t6\n"
                                "2024.01.02\t10:00:00.500\t1.09900\t\t\t\t2\n"
                                "2024.01.02\t10:00:01.000\t\t1.10600\t\t\t4\n");
  auto result = replay(
      R"({"position_id":"s1","instrument":"EURUSD","side":"sell","volume":1,"entry_price":1.1,"owner_sl":"1.106"})"
      "\n",
      ticks, {"--format", "mt5", "--instrument", "EURUSD"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find(R"("position_id":"s1","reason":"sl_hit","tick_index":2)"), std::string::npos) << result.out;
}

TEST_F(ReplayCommand, AddsAnInstrumentGivenWithDigits) {
  auto result = replay(
      R"({"position_id":"j1","instrument":"USDJPY","side":"buy","volume":1,"entry_price":"150","owner_tp":"150.5"})"
      "\n",
      csv("2024-01-02T10:00:00Z,USDJPY,150.5,150.51\n"), {"--digits", "USDJPY=3"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find(R"("price":"150.500")"), std::string::npos) << result.out;
}

// Bad input: exit 2 and a message naming the file, line and field.
struct BadInput {
  const char* name;
  const char* positions;
  const char* ticks;
  const char* expected;  // in stderr, after the file name
};

class ReplayBadInput : public ReplayCommand, public ::testing::WithParamInterface<BadInput> {};

TEST_P(ReplayBadInput, ExitsTwoNamingFileLineAndField) {
  const BadInput& bad = GetParam();
  std::string ticks = csv(bad.ticks);
  auto result = replay(bad.positions, ticks);
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find(bad.expected), std::string::npos) << result.err;
}

const char* kGoodPosition =
    R"({"position_id":"b1","instrument":"EURUSD","side":"buy","volume":1,"entry_price":1.1,"owner_sl":1.09})"
    "\n";
const char* kGoodTick = "2024-01-02T10:00:00Z,EURUSD,1.1,1.1001\n";

INSTANTIATE_TEST_SUITE_P(
    Cases, ReplayBadInput,
    ::testing::Values(
        BadInput{"TickPriceWithTooManyDecimals", kGoodPosition, "2024-01-02T10:00:00Z,EURUSD,1.100001,1.1001\n",
                 "ticks.csv:2: field 'bid': '1.100001' has more decimals than the 5 digits of EURUSD"},
        BadInput{"TickOfUnknownInstrument", kGoodPosition, "2024-01-02T10:00:00Z,GBPJPY,1.1,1.1001\n",
                 "ticks.csv:2: field 'instrument': unknown instrument 'GBPJPY'"},
        BadInput{
            "PositionPriceWithTooManyDecimals",
            R"({"position_id":"b1","instrument":"EURUSD","side":"buy","volume":1,"entry_price":1.1,"owner_sl":1.090001})"
            "\n",
            kGoodTick, "positions.jsonl:1: field 'owner_sl': '1.090001' has more decimals"},
        BadInput{"PositionOfUnknownInstrument",
                 R"({"position_id":"b1","instrument":"NOPE","side":"buy","volume":1,"entry_price":1.1})"
                 "\n",
                 kGoodTick, "positions.jsonl:1: field 'instrument': unknown instrument 'NOPE'"},
        BadInput{
            "BuyWithStopAboveTarget",
            "\n"
            R"({"position_id":"b9","instrument":"EURUSD","side":"buy","volume":1,"entry_price":1.1,"owner_sl":1.2,"owner_tp":1.15})"
            "\n",
            kGoodTick,
            "positions.jsonl:2: position b9: rule rule-sltp: owner_sl 1.20000 must be below owner_tp 1.15000 for "
            "a BUY position"},
        BadInput{
            "SellWithStopBelowTarget",
            R"({"position_id":"s9","instrument":"EURUSD","side":"sell","volume":1,"entry_price":1.1,"owner_sl":1.05,"owner_tp":1.08})"
            "\n",
            kGoodTick, "position s9: rule rule-sltp: owner_sl 1.05000 must be above owner_tp 1.08000"},
        BadInput{"MissingSide",
                 R"({"position_id":"b1","instrument":"EURUSD","volume":1,"entry_price":1.1})"
                 "\n",
                 kGoodTick, "positions.jsonl:1: field 'side': missing"},
        BadInput{"MalformedJson", "{\"position_id\":\n", kGoodTick, "positions.jsonl:1: malformed JSON"},
        BadInput{"BadTickTime", kGoodPosition, "yesterday,EURUSD,1.1,1.1001\n", "ticks.csv:2: field 'time'"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(ReplayCommand, RequiresTheInstrumentOfAnMt5File) {
  std::string ticks = dir.write("ticks.tsv", "<DATE>\t<TIME>\t<BID>\t<ASK>\t<LAST>\t<VOLUME>\t<FLAGS>\n");
  auto result = replay(kGoodPosition, ticks, {"--format", "mt5"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--instrument"), std::string::npos) << result.err;
}

// rule-drawdown judges a client's positions together, across instruments:
// the positions file's client_id groups them.
TEST_F(ReplayCommand, ADrawdownGuardClosesEveryPositionOfTheClient) {
  config = dir.write("drawdown.yaml", std::string(kConfig) + "  - plugin: rule-drawdown\n");
  const std::string guard = R"("rules":{"rule-drawdown":{"max_loss":"100","point_value":"1"}})";
  auto result = replay(
      R"({"position_id":"b1","client_id":"c1","instrument":"EURUSD","side":"buy","volume":"1","entry_price":"1.1",)" +
          guard + "}\n" +
          R"({"position_id":"b2","client_id":"c1","instrument":"EURUSD","side":"buy","volume":"1","entry_price":"1.1",)" +
          guard + "}\n" +
          R"({"position_id":"x1","client_id":"c1","instrument":"XAUUSD","side":"buy","volume":"1","entry_price":"2050",)" +
          guard + "}\n" +
          R"({"position_id":"o1","client_id":"c2","instrument":"EURUSD","side":"buy","volume":"1","entry_price":"1.1",)" +
          guard + "}\n",
      csv("2024-01-02T10:00:00.000Z,XAUUSD,2050.000,2050.500\n"
          "2024-01-02T10:00:01.000Z,EURUSD,1.10000,1.10010\n"
          "2024-01-02T10:00:02.000Z,EURUSD,1.09950,1.09960\n"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(
      result.out,
      R"({"position_id":"b2","reason":"drawdown","tick_index":2,"time":"2024-01-02T10:00:02.000Z","price":"1.09950","level":"1.09950","instrument":"EURUSD","side":"buy","time_ms":1704189602000})"
      "\n"
      R"({"position_id":"x1","reason":"drawdown","tick_index":2,"time":"2024-01-02T10:00:02.000Z","price":"2050.000","level":"2050.000","instrument":"XAUUSD","side":"buy","time_ms":1704189602000})"
      "\n"
      R"({"position_id":"b1","reason":"drawdown","tick_index":2,"time":"2024-01-02T10:00:02.000Z","price":"1.09950","level":"1.09950","instrument":"EURUSD","side":"buy","time_ms":1704189602000})"
      "\n")
      << "c2's position lost 50 of its own 100 and stays open";
}
