// One engine on its own thread, fed through a queue.
//
// Threading contract: any thread may post; only the shard's thread touches
// its Engine. Work runs in the order it was posted. Close events and rule
// updates are handed to `on_events` on the shard's thread, in tick order,
// once per batch of queued work (so a slow handler gets larger batches, not
// a longer queue). Deadlines fire on tick times and on the host's Clock
// (checked at least every 100 ms).
// Ownership: `instruments` and `clock` must outlive the shard.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <variant>
#include <vector>

#include "core/app/tick_intake.hpp"
#include "core/engine/engine.hpp"
#include "core/support/clock.hpp"

namespace vigil::core {

class EngineShard {
 public:
  // Close events, then the rule updates (moved levels, saved states) of the
  // same batch.
  using EventHandler = std::function<void(std::vector<CloseEvent>&, std::vector<RuleUpdate>&)>;
  using Task = std::function<void(Engine&)>;

  EngineShard(const Instruments& instruments, std::vector<EngineRule> rules, const Clock& clock,
              EventHandler on_events);
  ~EngineShard();  // drains the queue, then joins
  EngineShard(const EngineShard&) = delete;
  EngineShard& operator=(const EngineShard&) = delete;

  void post(const ParsedTick& tick);
  // Runs `task` on the shard's thread (adding or removing positions...).
  void post(Task task);
  // Blocks until everything posted before has run and the events it
  // produced have been handed to `on_events`.
  void drain();
  // The engine's rule failures as its last batch left them. Any thread.
  RuleFailures rule_failures() const;

 private:
  // Fulfilled once the batch it came in has been handed over.
  struct Drained {
    std::promise<void>* done;
  };
  using Work = std::variant<ParsedTick, Task, Drained>;
  void run();
  // Runs one batch; the Drained it holds go to `drained`.
  void run_batch(std::vector<Work>& batch, std::vector<CloseEvent>& events, std::vector<Drained>& drained);
  void await_work() const;
  void push(Work work);
  void publish_failures();  // the shard's thread, after each batch

  Engine engine_;
  const Clock& clock_;
  EventHandler on_events_;
  std::mutex mutex_;
  std::condition_variable ready_;
  // Producers append; the shard's thread swaps the whole vector out in one
  // lock acquisition and hands back the emptied one, so capacity is reused
  // and a burst of ticks costs one wakeup, not one each.
  std::vector<Work> queue_;
  std::atomic<bool> posted_{false};  // queue_ has work: what await_work spins on without the lock
  bool sleeping_ = false;            // the shard's thread waits for work: the next post wakes it
  bool stopping_ = false;
  mutable std::mutex failures_mutex_;
  RuleFailures failures_;           // guarded by failures_mutex_
  uint64_t published_version_ = 0;  // the shard's thread only
  std::thread thread_;
};

}  // namespace vigil::core
