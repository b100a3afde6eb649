#include "core/app/maintenance.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>

using namespace vigil::core;
using namespace std::chrono_literals;

namespace {

// Waits (up to 5 s) until `count` reaches `at_least`.
bool reaches(const std::atomic<int>& count, int at_least) {
  auto until = std::chrono::steady_clock::now() + 5s;
  while (count < at_least && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(1ms);
  return count >= at_least;
}

}  // namespace

TEST(Maintenance, RunsItsTaskOncePerPeriodAgainAndAgain) {
  std::atomic<int> runs{0};
  Maintenance maintenance([&runs] { ++runs; }, 1ms);
  EXPECT_TRUE(reaches(runs, 3));
}

TEST(Maintenance, ATaskThatThrowsRunsAgainAtTheNextPeriod) {
  std::atomic<int> runs{0};
  Maintenance maintenance(
      [&runs] {
        ++runs;
        throw std::runtime_error("store away");
      },
      1ms);
  EXPECT_TRUE(reaches(runs, 2));
}

TEST(Maintenance, StopsAtOnceWhenDestroyedInsteadOfWaitingOutItsPeriod) {
  std::atomic<int> runs{0};
  auto start = std::chrono::steady_clock::now();
  {
    Maintenance maintenance([&runs] { ++runs; }, 1h);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  EXPECT_EQ(runs, 0);
}
