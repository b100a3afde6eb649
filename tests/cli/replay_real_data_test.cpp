// vigil replay over a real trading day (examples/data), checked against a
// brute-force reading of docs/breach-semantics.md written here independently.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "vigil/cpp/decimal.hpp"
#include "vigil/cpp/iso_time.hpp"

using vigil::test::built_binary;
using vigil::test::run_process;
using vigil::test::TempDir;

namespace {

struct TestPosition {
  std::string id;
  bool buy;
  std::optional<int64_t> sl, tp;
  int64_t opened_at = 0;
};

struct Close {
  std::string id, reason;
  int64_t tick_index;
  int64_t price, level;
  bool operator==(const Close&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Close& c) {
  return os << c.id << " " << c.reason << " @" << c.tick_index << " " << c.price << "/" << c.level;
}

int64_t price(const std::string& text, int digits) {
  return vigil::sdk::parse_decimal(text, digits).value;
}

// Scans every open position on every tick: the original algorithm.
std::vector<Close> brute_force(const std::string& csv_file, int digits, std::vector<TestPosition> positions) {
  std::ifstream in(csv_file);
  std::string line;
  std::getline(in, line);
  std::vector<Close> out;
  std::vector<bool> closed(positions.size());
  for (int64_t index = 0; std::getline(in, line); ++index) {
    std::stringstream row(line);
    std::string time, instrument, bid_text, ask_text;
    std::getline(row, time, ',');
    std::getline(row, instrument, ',');
    std::getline(row, bid_text, ',');
    std::getline(row, ask_text, ',');
    int64_t t = *vigil::sdk::parse_time(time), bid = price(bid_text, digits), ask = price(ask_text, digits);
    for (size_t i = 0; i < positions.size(); ++i) {
      const TestPosition& p = positions[i];
      if (closed[i] || t < p.opened_at) continue;
      int64_t trigger = p.buy ? bid : ask;
      bool sl_hit = p.sl && (p.buy ? trigger <= *p.sl : trigger >= *p.sl);
      bool tp_hit = p.tp && (p.buy ? trigger >= *p.tp : trigger <= *p.tp);
      if (!sl_hit && !tp_hit) continue;
      closed[i] = true;
      out.push_back({p.id, sl_hit ? "sl_hit" : "tp_hit", index, trigger, sl_hit ? *p.sl : *p.tp});
    }
  }
  return out;
}

std::vector<Close> parse_output(const std::string& out, int digits) {
  std::vector<Close> closes;
  std::stringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line);
    closes.push_back(
        {j["position_id"], j["reason"], j["tick_index"], price(j["price"], digits), price(j["level"], digits)});
  }
  return closes;
}

std::string positions_jsonl(const std::vector<TestPosition>& positions, const char* symbol, int digits) {
  std::string out;
  for (const auto& p : positions) {
    nlohmann::json j = {{"position_id", p.id},
                        {"instrument", symbol},
                        {"side", p.buy ? "buy" : "sell"},
                        {"volume", "1"},
                        {"entry_price", "1"}};
    if (p.sl) j["owner_sl"] = vigil::sdk::format_decimal(*p.sl, digits);
    if (p.tp) j["owner_tp"] = vigil::sdk::format_decimal(*p.tp, digits);
    if (p.opened_at) j["opened_at"] = p.opened_at;
    out += j.dump() + "\n";
  }
  return out;
}

// Levels spread over the day's range so that many, not all, positions close.
std::vector<TestPosition> ladder(int64_t low, int64_t high, int64_t first_time) {
  std::vector<TestPosition> out;
  int64_t step = (high - low) / 20;
  for (int i = 1; i < 20; ++i) {
    int64_t level = low + i * step;
    out.push_back({"b" + std::to_string(i), true, level - 3 * step, level + 2 * step, 0});
    out.push_back({"s" + std::to_string(i), false, level + 3 * step, level - 2 * step, first_time + i * 3600000});
    out.push_back({"t" + std::to_string(i), true, std::nullopt, level, 0});
  }
  return out;
}

class ReplayRealData : public ::testing::Test {
 protected:
  TempDir dir;
  std::string config =
      dir.write("vigil.yaml", "instruments:\n  - {symbol: EURUSD, digits: 5}\n  - {symbol: XAUUSD, digits: 3}\n");
  std::string data(const char* name) { return std::string(VIGIL_DATA_DIR) + "/" + name; }

  vigil::test::ProcessResult replay(const std::string& positions, const std::string& ticks,
                                    std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {built_binary("vigil"), "replay",  "--config", config,
                                     "--positions",         positions, "--ticks",  ticks};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_process(argv);
  }
};

}  // namespace

TEST_F(ReplayRealData, EurusdClosesMatchTheBruteForceScanInBothFormats) {
  auto positions = ladder(138320, 139928, *vigil::sdk::parse_time("2014-05-08T00:00:00Z"));
  std::string file = dir.write("positions.jsonl", positions_jsonl(positions, "EURUSD", 5));
  auto expected = brute_force(data("eurusd-2014-05-08.csv"), 5, positions);
  ASSERT_GT(expected.size(), 20u);

  auto csv = replay(file, data("eurusd-2014-05-08.csv"));
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(parse_output(csv.out, 5), expected);

  auto mt5 = replay(file, data("eurusd-2014-05-08.mt5.tsv"), {"--format", "mt5", "--instrument", "EURUSD"});
  ASSERT_EQ(mt5.exit_code, 0) << mt5.err;
  EXPECT_EQ(mt5.out, csv.out);
}

TEST_F(ReplayRealData, XauusdPricesWrittenWithFewerDigitsCompareExactly) {
  auto positions = ladder(1280000, 1300000, *vigil::sdk::parse_time("2014-05-08T00:00:00Z"));
  std::string file = dir.write("positions.jsonl", positions_jsonl(positions, "XAUUSD", 3));
  auto expected = brute_force(data("xauusd-2014-05-08.csv"), 3, positions);
  ASSERT_GT(expected.size(), 10u);
  auto result = replay(file, data("xauusd-2014-05-08.csv"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(parse_output(result.out, 3), expected);
}
