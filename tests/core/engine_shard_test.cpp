#include "core/app/engine_shard.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "tests/core/manual_clock.hpp"
#include "tests/core/test_rule.hpp"

using namespace vigil::core;

namespace {

struct Fixture {
  Instruments instruments;
  vigil::test::ManualClock clock{vigil::test::kMondayNoon};
  Fixture() { instruments.add("EURUSD", 5); }
};

}  // namespace

// Producers post in bursts while the shard's thread takes batches: every
// piece of work runs once, in the order each producer posted it.
TEST(EngineShard, RunsEveryPostOnceInEachProducersOrder) {
  Fixture f;
  constexpr int kPosts = 20000;
  std::vector<int> seen[2];  // touched only on the shard's thread
  {
    EngineShard shard(f.instruments, {}, f.clock, [](std::vector<CloseEvent>&, std::vector<RuleUpdate>&) {});
    auto produce = [&](int producer) {
      for (int i = 0; i < kPosts; ++i) {
        if (i % 7 == 0) shard.post(ParsedTick{0, 100000 + i % 5, 100002 + i % 5, 1, i});
        shard.post([&seen, producer, i](Engine&) { seen[producer].push_back(i); });
      }
    };
    std::thread other(produce, 1);
    produce(0);
    other.join();
    shard.drain();
    for (const auto& list : seen) {
      ASSERT_EQ(list.size(), size_t{kPosts});
      for (int i = 0; i < kPosts; ++i) ASSERT_EQ(list[static_cast<size_t>(i)], i);
    }
  }
}

// A post to a shard whose thread has gone to sleep wakes it at once, not at
// the next wall-clock check (100 ms): 20 posts after a pause each, drained,
// take far less than 20 such checks would.
TEST(EngineShard, APostWakesASleepingShardPromptly) {
  Fixture f;
  EngineShard shard(f.instruments, {}, f.clock, [](std::vector<CloseEvent>&, std::vector<RuleUpdate>&) {});
  int ran = 0;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 20; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));  // the shard's thread falls asleep
    shard.post([&ran](Engine&) { ++ran; });
    shard.drain();
  }
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(ran, 20);
  EXPECT_LT(took, std::chrono::milliseconds(1000));
}

// The destructor runs what was posted before it.
TEST(EngineShard, StopsOnlyAfterRunningEverythingPosted) {
  Fixture f;
  int ran = 0;
  {
    EngineShard shard(f.instruments, {}, f.clock, [](std::vector<CloseEvent>&, std::vector<RuleUpdate>&) {});
    for (int i = 0; i < 1000; ++i) shard.post([&ran](Engine&) { ++ran; });
  }
  EXPECT_EQ(ran, 1000);
}

// drain() waits for the hand-over too: whoever drains sees the closes of
// the ticks it posted before, every time.
TEST(EngineShard, DrainReturnsOnlyOnceTheEventsOfWhatRanWereHandedOn) {
  Fixture f;
  vigil::test::TestRule rule;
  std::atomic<size_t> handed_on{0};
  EngineShard shard(
      f.instruments, rule.list(), f.clock,
      [&handed_on](std::vector<CloseEvent>& events, std::vector<RuleUpdate>&) { handed_on += events.size(); });
  for (uint64_t key = 1; key <= 100; ++key) {
    shard.post(ParsedTick{0, 110000, 110002, 1, -1});
    shard.post([key](Engine& engine) { engine.add(vigil::test::buy_position(key, 110100)); });
    shard.post(ParsedTick{0, 110100, 110102, 2, -1});
    shard.drain();
    ASSERT_EQ(handed_on.load(), key);
  }
}
