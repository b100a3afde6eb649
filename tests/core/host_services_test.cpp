#include "core/plugins/host_services.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/core/manual_clock.hpp"

using namespace vigil::core;

TEST(HostServices, APluginsWallClockIsTheClockTheHostGave) {
  Metrics metrics;
  vigil::test::ManualClock clock(vigil::test::kMondayNoon);
  HostServices services("feed-test", metrics, nullptr, clock);
  const vigil_host* host = services.table();
  EXPECT_EQ(host->clock_unix_ms(host->ctx), vigil::test::kMondayNoon);
  clock.advance(1500);
  EXPECT_EQ(host->clock_unix_ms(host->ctx), vigil::test::kMondayNoon + 1500);
}

TEST(HostServices, ItsMonotonicClockKeepsRunningWhileTheWallClockStandsStill) {
  Metrics metrics;
  vigil::test::ManualClock clock(vigil::test::kMondayNoon);
  HostServices services("feed-test", metrics, nullptr, clock);
  const vigil_host* host = services.table();
  int64_t first = host->clock_monotonic_ns(host->ctx);
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  EXPECT_GE(host->clock_monotonic_ns(host->ctx) - first, 2'000'000);
}
