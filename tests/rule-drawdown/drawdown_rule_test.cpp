// rule-drawdown loaded as a real plugin and driven by the real engine.
#include <gtest/gtest.h>

#include "core/engine/engine.hpp"
#include "tests/support/plugin_harness.hpp"

using namespace vigil::core;

namespace {

const char* kLimit100 = R"({"max_loss":"100","point_value":"1","resolution":{"points":10}})";

class Drawdown : public ::testing::Test {
 protected:
  vigil::test::PluginHarness harness{"rule-drawdown"};
  Component<vigil_rule_vtable> rule = harness.create<vigil_rule_vtable>(VIGIL_KIND_RULE);
  Instruments instruments;
  InstrumentId eurusd = instruments.add("EURUSD", 5);
  InstrumentId usdjpy = instruments.add("USDJPY", 3);
  Engine engine{instruments, {{"rule-drawdown", rule.vtable(), rule.instance()}}};
  std::vector<CloseEvent> events;
  std::map<std::string, PositionHandle> handles;
  uint64_t next_key = 1;

  void add(const std::string& id, const std::string& group, InstrumentId instrument = 0, Side side = Side::buy,
           const std::string& params = kLimit100, int64_t entry = 110000) {
    NewPosition p;
    p.key = next_key++;
    p.id = id;
    p.group = group;
    p.instrument = instrument;
    p.side = side;
    p.volume = 100000000;  // 1 lot
    p.entry_price = entry;
    p.rules = {{0, params}};
    handles[id] = engine.add(p);
  }
  void tick(int64_t bid, InstrumentId instrument = 0) { engine.on_tick(instrument, bid, bid + 2, 0, 0, events); }
  // "reason:closed id" for each event; an own close names the caller's key.
  std::vector<std::string> closes() const {
    std::vector<std::string> out;
    for (const CloseEvent& e : events)
      out.push_back(e.reason + ":" + (e.target_id.empty() ? "key" + std::to_string(e.key) : e.target_id));
    return out;
  }
};

}  // namespace

TEST_F(Drawdown, ClosesEveryPositionOfTheClientWhenTheirLossTogetherReachesTheLimit) {
  add("a", "client-1");                                    // key 1
  add("b", "client-1");                                    // key 2
  add("j", "client-1", 1, Side::sell, kLimit100, 150000);  // key 3, another instrument
  add("other", "client-2");                                // key 4
  tick(109960);                                            // 40 points down each: 80 in all for client-1
  EXPECT_TRUE(events.empty());
  tick(109950);  // 50 each: 100
  EXPECT_EQ(closes(), (std::vector<std::string>{"drawdown:b", "drawdown:j", "drawdown:key1"}));
  EXPECT_EQ(events.back().price, 109950);
}

TEST_F(Drawdown, CloseWorstClosesOnlyThePositionLosingMost) {
  const char* worst = R"({"max_loss":"100","point_value":"1","close":"worst","resolution":{"points":10}})";
  add("small", "c", 0, Side::buy, worst, 110000);  // key 1
  add("big", "c", 0, Side::buy, worst, 110040);    // key 2: bought 40 points higher
  tick(109970);                                    // small -30, big -70: 100
  EXPECT_EQ(closes(), (std::vector<std::string>{"drawdown:big"}));
}

TEST_F(Drawdown, GainsOffsetLosses) {
  add("long", "c", 0, Side::buy);
  add("short", "c", 0, Side::sell, kLimit100, 110000);
  for (int64_t bid : {109960, 109920, 109900}) tick(bid);  // long -100, short +98 (ask 1.09902)
  EXPECT_TRUE(events.empty());
  tick(109800);  // a gap: the long is called first, and the short is counted with it
  EXPECT_TRUE(events.empty()) << "the short gains as much";
}

TEST_F(Drawdown, APositionThatLeftNoLongerCounts) {
  add("gone", "c");
  add("stays", "c");
  tick(109960);  // -40 each
  EXPECT_TRUE(engine.remove(handles["gone"]));
  tick(109950);  // stays -50: alone it is under the limit
  EXPECT_TRUE(events.empty());
}

TEST_F(Drawdown, ALimitInPercentOfABalance) {
  add("a", "c", 0, Side::buy, R"({"max_loss_percent":1,"balance":"5000","point_value":"2"})");  // 50 money
  tick(109980);                                                                                 // 20 points x 2 = 40
  EXPECT_TRUE(events.empty());
  tick(109970);  // 30 x 2 = 60
  EXPECT_EQ(closes(), (std::vector<std::string>{"drawdown:key1"}));
}

TEST_F(Drawdown, LeavesPositionsWithoutAClientOrALimitAlone) {
  add("no-group", "");
  add("no-limit", "c", 0, Side::buy, "{}");
  tick(100000);
  EXPECT_TRUE(events.empty());
}

TEST_F(Drawdown, ATickInsideTheResolutionCallsNoRule) {
  add("a", "c", 0, Side::buy, R"({"max_loss":"5","point_value":"1","resolution":{"points":10}})");
  tick(109991);  // -9: inside the band, not counted yet
  EXPECT_TRUE(events.empty());
  tick(109990);
  EXPECT_EQ(closes(), (std::vector<std::string>{"drawdown:key1"}));
}

TEST_F(Drawdown, RefusesParametersItCannotRead) {
  for (const char* bad :
       {R"({"max_loss":"-5"})", R"({"max_loss":"lots"})", R"({"max_loss":"5","max_loss_percent":2})",
        R"({"max_loss_percent":2})", R"({"max_loss":"5","close":"some"})", R"({"max_loss":"5","resolution":"0"})"}) {
    EXPECT_THROW(add("bad", "c", eurusd, Side::buy, bad), PositionRejected) << bad;
  }
}
