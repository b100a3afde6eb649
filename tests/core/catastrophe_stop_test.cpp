#include "core/workflow/catastrophe_stop.hpp"

#include <gtest/gtest.h>

#include "core/workflow/rule_states.hpp"

using namespace vigil::core;

namespace {

std::map<std::string, std::string> states_of(const std::string& rule_state_json) {
  PositionRow row;
  row.rule_state_json = rule_state_json;
  return rule_states_of(row);
}

}  // namespace

TEST(CatastropheStop, SitsTheMultipleOfTheHiddenDistanceBehindTheFill) {
  CatastropheOptions options{300, 100};
  // BUY filled at 1.10000 with the hidden stop 20 points below.
  EXPECT_EQ(catastrophe_level(true, 110000, 109980, options, 0.0), 109940);
  // SELL filled at 1.10000 with the hidden stop 20 points above.
  EXPECT_EQ(catastrophe_level(false, 110000, 110020, options, 0.0), 110060);
}

TEST(CatastropheStop, TheRandomPartWidensItUpToTheConfiguredShare) {
  CatastropheOptions options{300, 100};
  EXPECT_EQ(catastrophe_level(true, 110000, 109980, options, 0.5), 109930);     // 3.5 x 20 points
  EXPECT_EQ(catastrophe_level(true, 110000, 109980, options, 0.9999), 109920);  // just under 4 x, rounded away
  // Always at least the multiple, at most multiple + random.
  for (double unit : {0.0, 0.1, 0.37, 0.8, 0.99}) {
    int64_t distance = 110000 - catastrophe_level(true, 110000, 109980, options, unit);
    EXPECT_GE(distance, 60);
    EXPECT_LE(distance, 80);
  }
}

TEST(CatastropheStop, IsNeverAtTheFillNorBelowZero) {
  CatastropheOptions options{300, 0};
  EXPECT_EQ(catastrophe_level(true, 110000, 110000, options, 0.0), 109997);  // a stop at the fill: one point
  EXPECT_EQ(catastrophe_level(true, 50, 10, options, 0.0), 1);               // a price near zero stays positive
}

TEST(CatastropheStop, IsReadFromTheSignalAndThePositionsSavedLevels) {
  EXPECT_TRUE(wants_catastrophe_stop(R"({"catastrophe_stop":true,"rule-trailing":{}})"));
  EXPECT_FALSE(wants_catastrophe_stop(R"({"catastrophe_stop":false})"));
  EXPECT_FALSE(wants_catastrophe_stop("{}"));
  EXPECT_FALSE(wants_catastrophe_stop("not json"));
  EXPECT_EQ(saved_catastrophe_stop(states_of(R"({"catastrophe_stop":"1.09940","rule-trailing":"110200"})")), "1.09940");
  EXPECT_EQ(saved_catastrophe_stop(states_of("")), std::nullopt);
  EXPECT_EQ(saved_catastrophe_stop(states_of(R"({"rule-trailing":"110200"})")), std::nullopt);
}
