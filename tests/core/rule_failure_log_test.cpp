#include "core/engine/rule_failures.hpp"

#include <gtest/gtest.h>

namespace vigil::core {
namespace {

TEST(RuleFailureLog, CountsFailuresByRuleAndKnowsWhichPairsAreFailing) {
  RuleFailureLog log(2);
  log.failed(10, 1, 1, "rule-b", "p1", "boom", 1'000);
  log.failed(10, 1, 1, "rule-b", "p1", "boom again", 2'000);
  log.failed(20, 2, 0, "rule-a", "p2", "bang", 3'000);
  RuleFailures s = log.snapshot();
  EXPECT_EQ(s.by_rule, (std::vector<uint64_t>{1, 2}));
  ASSERT_EQ(s.failing.size(), 2u);
  for (const FailingRule& f : s.failing) {
    if (f.position != "p1") continue;
    EXPECT_EQ(f.rule, "rule-b");
    EXPECT_EQ(f.failures, 2u);
    EXPECT_EQ(f.since_unix_ms, 1'000);  // the first of the run
    EXPECT_EQ(f.error, "boom again");   // the last
    EXPECT_EQ(f.key, 1u);
  }
}

TEST(RuleFailureLog, ASuccessEndsThePairsFailureButKeepsTheCount) {
  RuleFailureLog log(1);
  log.failed(10, 1, 0, "rule-a", "p1", "boom", 1'000);
  EXPECT_TRUE(log.any_failing());
  log.succeeded(10, "p1");
  EXPECT_FALSE(log.any_failing());
  EXPECT_EQ(log.snapshot().by_rule, std::vector<uint64_t>{1});
}

TEST(RuleFailureLog, AForgottenPairIsNoLongerFailing) {
  RuleFailureLog log(1);
  log.failed(10, 1, 0, "rule-a", "p1", "boom", 1'000);
  log.forget(10);
  EXPECT_TRUE(log.snapshot().failing.empty());
}

TEST(RuleFailureLog, TheVersionMovesWithEveryChangeAndOnlyThen) {
  RuleFailureLog log(1);
  uint64_t start = log.version();
  log.succeeded(10, "p1");  // nothing was failing: no change
  log.forget(10);
  EXPECT_EQ(log.version(), start);
  log.failed(10, 1, 0, "rule-a", "p1", "boom", 1'000);
  uint64_t failed = log.version();
  EXPECT_GT(failed, start);
  log.succeeded(10, "p1");
  EXPECT_GT(log.version(), failed);
}

TEST(RuleFailureLog, AnUnknownRuleIndexIsCountedNowhereButStillFailing) {
  RuleFailureLog log(1);
  log.failed(10, 1, 5, "rule-x", "p1", "boom", 1'000);
  EXPECT_EQ(log.snapshot().by_rule, std::vector<uint64_t>{0});
  EXPECT_EQ(log.snapshot().failing.size(), 1u);
}

}  // namespace
}  // namespace vigil::core
