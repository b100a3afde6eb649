#include "core/support/fork_join.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <stdexcept>
#include <thread>

namespace vigil::core {
namespace {

std::vector<std::function<void()>> counting_tasks(size_t n, std::atomic<int>& runs) {
  std::vector<std::function<void()>> tasks;
  for (size_t i = 0; i < n; ++i) tasks.emplace_back([&runs] { ++runs; });
  return tasks;
}

TEST(ForkJoinPool, RunsEveryTaskExactlyOnceBeforeReturning) {
  ForkJoinPool pool(4);
  std::atomic<int> runs{0};
  pool.run_all(counting_tasks(1000, runs));
  EXPECT_EQ(runs.load(), 1000);
}

TEST(ForkJoinPool, RunsBlockingTasksSideBySide) {
  // Eight tasks that each wait until all eight have started: they finish
  // only if the pool runs them at the same time.
  ForkJoinPool pool(8);
  std::atomic<int> started{0};
  std::vector<std::function<void()>> tasks;
  for (int i = 0; i < 8; ++i)
    tasks.emplace_back([&] {
      ++started;
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (started.load() < 8 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    });
  pool.run_all(tasks);
  EXPECT_EQ(started.load(), 8);
}

TEST(ForkJoinPool, RunsALoneTaskOnTheCaller) {
  ForkJoinPool pool(2);
  std::thread::id ran_on;
  pool.run_all({[&] { ran_on = std::this_thread::get_id(); }});
  EXPECT_EQ(ran_on, std::this_thread::get_id());
}

TEST(ForkJoinPool, RunsTheOtherTasksWhenOneThrowsAndRethrowsIt) {
  ForkJoinPool pool(3);
  std::atomic<int> runs{0};
  auto tasks = counting_tasks(50, runs);
  tasks.emplace_back([] { throw std::runtime_error("task failed"); });
  EXPECT_THROW(pool.run_all(tasks), std::runtime_error);
  EXPECT_EQ(runs.load(), 50);
}

TEST(ForkJoinPool, ServesSeveralCallersAtOnce) {
  ForkJoinPool pool(4);
  std::atomic<int> runs{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < 4; ++c)
    callers.emplace_back([&] {
      for (int round = 0; round < 50; ++round) pool.run_all(counting_tasks(20, runs));
    });
  for (auto& t : callers) t.join();
  EXPECT_EQ(runs.load(), 4 * 50 * 20);
}

TEST(ForkJoinPool, ALongJobDoesNotHoldUpAShortOneStartedAfterIt) {
  ForkJoinPool pool(2);
  // The long job: 20,000 tasks of 1 ms, seconds of work for two
  // threads, until the test lets the rest return at once.
  std::atomic<bool> hurry{false};
  std::vector<std::function<void()>> long_job;
  for (int i = 0; i < 20000; ++i)
    long_job.emplace_back([&] {
      if (!hurry) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    });
  std::thread long_caller([&] { pool.run_all(long_job); });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  // The short job's two tasks must run side by side, so one of them needs
  // a pool thread, which the long job would hold if jobs were served in
  // order.
  std::atomic<int> started{0};
  std::atomic<bool> met{true};
  auto meet = [&] {
    ++started;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (started.load() < 2)
      if (std::chrono::steady_clock::now() > deadline) {
        met = false;
        return;
      }
  };
  pool.run_all({meet, meet});
  hurry = true;
  long_caller.join();
  EXPECT_TRUE(met.load()) << "the short job's tasks never ran side by side: the long job held every thread";
}

}  // namespace
}  // namespace vigil::core
