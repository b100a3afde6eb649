#include "core/app/source_failover.hpp"

#include <gtest/gtest.h>

using namespace vigil::core;

TEST(SourceFailover, TakesTicksOnlyFromThePrimaryWhileItQuotes) {
  SourceFailover f({"primary", "backup"}, 5000);
  EXPECT_TRUE(f.quoted("primary", 1000).use);
  EXPECT_FALSE(f.quoted("backup", 2000).use);
  EXPECT_TRUE(f.quoted("primary", 5999).use);
  EXPECT_FALSE(f.quoted("backup", 10999).use);  // the primary quoted 5000 ms ago: still active
  EXPECT_EQ(f.active(), "primary");
}

TEST(SourceFailover, FailsOverAfterThePrimaryIsSilentLongerThanTheLimitAndSaysSo) {
  SourceFailover f({"primary", "backup"}, 5000);
  f.quoted("primary", 1000);
  SourceFailover::Verdict verdict = f.quoted("backup", 6001);
  EXPECT_TRUE(verdict.use);
  EXPECT_EQ(verdict.switched_from, "primary");
  EXPECT_EQ(verdict.switched_to, "backup");
  EXPECT_EQ(f.active(), "backup");
}

TEST(SourceFailover, ThePrimaryTakesOverAgainAtItsFirstTick) {
  SourceFailover f({"primary", "backup"}, 5000);
  f.quoted("primary", 1000);
  f.quoted("backup", 7000);
  SourceFailover::Verdict verdict = f.quoted("primary", 8000);
  EXPECT_TRUE(verdict.use);
  EXPECT_EQ(verdict.switched_from, "backup");
  EXPECT_FALSE(f.quoted("backup", 8001).use);
}

TEST(SourceFailover, TheFirstTickChoosesASourceWithoutReportingASwitch) {
  SourceFailover f({"primary", "backup"}, 5000);
  EXPECT_EQ(f.active(), std::nullopt);
  SourceFailover::Verdict verdict = f.quoted("backup", 1000);
  EXPECT_TRUE(verdict.use);
  EXPECT_TRUE(verdict.switched_from.empty());
  EXPECT_EQ(f.active(), "backup");
}

TEST(SourceFailover, NeverUsesASourceThatIsNotListed) {
  SourceFailover f({"primary"}, 5000);
  EXPECT_FALSE(f.quoted("push", 1000).use);
  EXPECT_EQ(f.active(), std::nullopt);
  EXPECT_TRUE(f.lists_sources());
  EXPECT_FALSE(SourceFailover().lists_sources());
}
