#include "core/app/engine_shard.hpp"

#include <future>

#include "core/support/log.hpp"

namespace vigil::core {

EngineShard::EngineShard(const Instruments& instruments, std::vector<EngineRule> rules, EventHandler on_events)
    : engine_(instruments, std::move(rules)), on_events_(std::move(on_events)), thread_([this] { run(); }) {}

EngineShard::~EngineShard() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_one();
  thread_.join();
}

void EngineShard::post(const ParsedTick& tick) {
  push(tick);
}
void EngineShard::post(Task task) {
  push(std::move(task));
}

void EngineShard::push(Work work) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(work));
  }
  ready_.notify_one();
}

void EngineShard::drain() {
  std::promise<void> done;
  auto finished = done.get_future();
  post([&done](Engine&) { done.set_value(); });
  finished.wait();
}

void EngineShard::run() {
  std::vector<CloseEvent> events;
  std::deque<Work> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything posted has run
      batch.swap(queue_);
    }
    // Taking the whole queue at once keeps the lock off the per-tick path.
    for (Work& work : batch) {
      if (auto* tick = std::get_if<ParsedTick>(&work)) {
        engine_.on_tick(tick->instrument, tick->bid, tick->ask, tick->time_unix_ms, tick->sequence, events);
      } else {
        try {
          std::get<Task>(work)(engine_);
        } catch (const std::exception& e) {
          log(LogLevel::error, "engine", std::string("task failed: ") + e.what());
        }
      }
      if (!events.empty()) {
        on_events_(events);
        events.clear();
      }
    }
    batch.clear();
  }
}

}  // namespace vigil::core
