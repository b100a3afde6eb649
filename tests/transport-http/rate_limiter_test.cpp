// RateLimiter: the burst, the refill at the rate, and one bucket per device
// across the shards.
#include "plugins/transport-http/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <string>

using vigil::http::RateLimiter;

namespace {
constexpr int64_t kNow = 1'700'000'000'000;
}  // namespace

TEST(RateLimiter, AllowsTheBurstThenOneRequestPerTokenEarned) {
  RateLimiter limiter(10, 3);  // a token every 100 ms
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.allow("dev_a", kNow)) << i;
  EXPECT_FALSE(limiter.allow("dev_a", kNow));
  EXPECT_FALSE(limiter.allow("dev_a", kNow + 99));
  EXPECT_TRUE(limiter.allow("dev_a", kNow + 100));
  EXPECT_FALSE(limiter.allow("dev_a", kNow + 100));
}

TEST(RateLimiter, NeverHoldsMoreThanTheBurst) {
  RateLimiter limiter(10, 2);
  EXPECT_TRUE(limiter.allow("dev_a", kNow));
  EXPECT_TRUE(limiter.allow("dev_a", kNow + 3'600'000));
  EXPECT_TRUE(limiter.allow("dev_a", kNow + 3'600'000));
  EXPECT_FALSE(limiter.allow("dev_a", kNow + 3'600'000));
}

TEST(RateLimiter, GivesEveryDeviceItsOwnBucket) {
  RateLimiter limiter(1, 1);
  for (int i = 0; i < 500; ++i) EXPECT_TRUE(limiter.allow("dev_" + std::to_string(i), kNow)) << i;
  for (int i = 0; i < 500; ++i) EXPECT_FALSE(limiter.allow("dev_" + std::to_string(i), kNow)) << i;
}
