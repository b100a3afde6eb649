#include "core/workflow/store_health.hpp"

#include <gtest/gtest.h>

#include "tests/core/manual_clock.hpp"

namespace vigil::core {
namespace {

TEST(StoreHealth, ACommitIsTimedByTheInjectedClock) {
  test::ManualClock clock(1'000);
  StoreHealth health("store-x", clock);
  health.committed();
  EXPECT_TRUE(health.ok());
  EXPECT_EQ(health.view().last_ok_ms, 1'000);
}

TEST(StoreHealth, AnOutageStartsAtItsFirstFailureAndEndsAtTheNextCommit) {
  test::ManualClock clock(1'000);
  StoreHealth health("store-x", clock);
  health.failed(VIGIL_UNAVAILABLE, "down");
  clock.advance(500);
  health.failed(VIGIL_UNAVAILABLE, "still down");
  StoreHealthView during = health.view();
  EXPECT_FALSE(during.ok);
  EXPECT_EQ(during.failing_since_ms, 1'000);
  EXPECT_EQ(during.failures, 2u);
  EXPECT_EQ(during.last_error, "still down");
  clock.advance(500);
  health.committed();
  StoreHealthView after = health.view();
  EXPECT_TRUE(after.ok);
  EXPECT_EQ(after.failing_since_ms, 0);
  EXPECT_EQ(after.last_ok_ms, 2'000);
}

TEST(StoreHealth, ARefusalOfTheRequestIsNotAnOutage) {
  test::ManualClock clock(1'000);
  StoreHealth health("store-x", clock);
  health.failed(VIGIL_CONFLICT, "version conflict");
  health.failed(VIGIL_INVALID_ARGUMENT, "bad value");
  EXPECT_TRUE(health.ok());
  EXPECT_EQ(health.view().failures, 0u);
}

}  // namespace
}  // namespace vigil::core
