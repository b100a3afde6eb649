// One engine on its own thread, fed through a queue.
//
// Threading contract: any thread may post; only the shard's thread touches
// its Engine. Work runs in the order it was posted. Close events and rule
// updates are handed to `on_events` on the shard's thread, in tick order,
// once per batch of queued work (so a slow handler gets larger batches, not
// a longer queue). Deadlines fire on tick times and on the wall clock
// (checked at least every 100 ms).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <variant>
#include <vector>

#include "core/app/tick_intake.hpp"
#include "core/engine/engine.hpp"

namespace vigil::core {

class EngineShard {
 public:
  // Close events, then the rule updates (moved levels, saved states) of the
  // same batch.
  using EventHandler = std::function<void(std::vector<CloseEvent>&, std::vector<RuleUpdate>&)>;
  using Task = std::function<void(Engine&)>;

  EngineShard(const Instruments& instruments, std::vector<EngineRule> rules, EventHandler on_events);
  ~EngineShard();  // drains the queue, then joins
  EngineShard(const EngineShard&) = delete;
  EngineShard& operator=(const EngineShard&) = delete;

  void post(const ParsedTick& tick);
  // Runs `task` on the shard's thread (adding or removing positions...).
  void post(Task task);
  // Blocks until everything posted before has run.
  void drain();

 private:
  using Work = std::variant<ParsedTick, Task>;
  void run();
  void push(Work work);

  Engine engine_;
  EventHandler on_events_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Work> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace vigil::core
