#include "core/support/clock.hpp"

#include <gtest/gtest.h>

#include <chrono>

using namespace vigil::core;

TEST(Clock, TheSystemClockReadsTheMachinesTimeInUnixMilliseconds) {
  using namespace std::chrono;
  int64_t before = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  int64_t read = SystemClock().now_ms();
  int64_t after = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  EXPECT_LE(before, read);
  EXPECT_LE(read, after);
}

TEST(Clock, TheWallClockIsOneInstanceForTheProcess) {
  EXPECT_EQ(&wall_clock(), &wall_clock());
  EXPECT_NE(dynamic_cast<const SystemClock*>(&wall_clock()), nullptr);
}
