#include "core/app/engine_shard.hpp"

#include <chrono>
#include <future>

#include "core/support/log.hpp"

namespace vigil::core {

EngineShard::EngineShard(const Instruments& instruments, std::vector<EngineRule> rules, const Clock& clock,
                         EventHandler on_events)
    : engine_(instruments, std::move(rules)), clock_(clock), on_events_(std::move(on_events)) {
  engine_.keep_rule_updates(true);
  thread_ = std::thread([this] { run(); });
}

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

// Only a post that finds the shard's thread asleep wakes it: while it is
// awake it takes everything queued when it looks next, so a notify per
// tick (a futex syscall each) would buy nothing.
void EngineShard::push(Work work) {
  bool wake;
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(work));
    posted_.store(true, std::memory_order_release);
    wake = sleeping_;
    sleeping_ = false;  // one wakeup is enough for everything queued until it runs
  }
  if (wake) ready_.notify_one();
}

void EngineShard::drain() {
  std::promise<void> done;
  auto finished = done.get_future();
  push(Drained{&done});
  finished.wait();
}

namespace {

// Both pace the shard's thread (steady time): they bound how long it waits,
// not what time it is, so a test's Clock must not stop them.
constexpr auto kClockResolution = std::chrono::milliseconds(100);
constexpr auto kSpin = std::chrono::microseconds(20);

}  // namespace

// Ticks come in bursts: a short spin before sleeping catches the next ones
// with no futex wake on either side, so a busy feed costs no syscall per
// tick. A quiet shard spins kSpin once, then sleeps.
void EngineShard::await_work() const {
  auto until = std::chrono::steady_clock::now() + kSpin;
  for (unsigned i = 1; !posted_.load(std::memory_order_acquire); ++i) {
    if (i % 16 == 0 && std::chrono::steady_clock::now() >= until) return;  // the clock costs more than a pause
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#else
    std::this_thread::yield();
#endif
  }
}

void EngineShard::run() {
  std::vector<CloseEvent> events;
  std::vector<RuleUpdate> updates;
  // Hands over what the work so far produced, if anything.
  auto hand_over = [&] {
    engine_.take_rule_updates(updates);
    if (events.empty() && updates.empty()) return;
    on_events_(events, updates);
    events.clear();
    updates.clear();
  };
  std::vector<Work> batch;
  std::vector<Drained> drained;
  for (;;) {
    await_work();
    {
      std::unique_lock lock(mutex_);
      if (queue_.empty() && !stopping_) {
        sleeping_ = true;
        ready_.wait_for(lock, kClockResolution, [this] { return stopping_ || !queue_.empty(); });
        sleeping_ = false;
      }
      if (stopping_ && queue_.empty()) return;  // everything posted has run
      batch.swap(queue_);                       // queue_ gets the emptied batch and its capacity
      posted_.store(false, std::memory_order_relaxed);
    }
    // Deadlines also fire on the host's clock, so a quiet market still expires
    // positions; with nothing due this is one comparison.
    engine_.advance_time(clock_.now_ms(), events);
    // Taking the whole queue at once keeps the lock off the per-tick path.
    hand_over();
    run_batch(batch, events, drained);
    // One hand-over per batch: the events of every tick that queued up while
    // the previous ones were being stored go to the store together (group
    // commit), still in tick order.
    hand_over();
    publish_failures();
    for (Drained& d : drained) d.done->set_value();
    drained.clear();
    batch.clear();
  }
}

void EngineShard::run_batch(std::vector<Work>& batch, std::vector<CloseEvent>& events, std::vector<Drained>& drained) {
  for (Work& work : batch) {
    if (auto* tick = std::get_if<ParsedTick>(&work)) {
      size_t before = events.size();
      engine_.on_tick(tick->instrument, tick->bid, tick->ask, tick->time_unix_ms, tick->sequence, events);
      for (size_t i = before; i < events.size(); ++i) events[i].tick_accepted_ns = tick->accepted_ns;
    } else if (auto* task = std::get_if<Task>(&work)) {
      try {
        (*task)(engine_);
      } catch (const std::exception& e) {
        log(LogLevel::error, "engine", std::string("task failed: ") + e.what());
      }
    } else {
      drained.push_back(std::get<Drained>(work));
    }
  }
}

RuleFailures EngineShard::rule_failures() const {
  std::lock_guard lock(failures_mutex_);
  return failures_;
}

// Copies only when something changed: with no failure this is a comparison.
void EngineShard::publish_failures() {
  const RuleFailureLog& log = engine_.rule_failures();
  if (log.version() == published_version_) return;
  published_version_ = log.version();
  RuleFailures snapshot = log.snapshot();
  std::lock_guard lock(failures_mutex_);
  failures_ = std::move(snapshot);
}

}  // namespace vigil::core
