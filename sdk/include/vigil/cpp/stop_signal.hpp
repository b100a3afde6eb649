// Vigil C++ SDK — a stop request that a feed's run() loop can wait on.
//
// Feeds pace themselves (ticks per second, a replay's original timing) and
// must still return promptly when stop() comes from another thread. Waiting
// on this instead of sleeping makes that a one-liner.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace vigil::sdk {

class StopSignal {
 public:
  // Thread-safe; wakes every waiter.
  void request() noexcept {
    {
      std::lock_guard lock(mutex_);
      requested_ = true;
    }
    wake_.notify_all();
  }

  bool requested() const noexcept { return requested_.load(); }

  // Waits until `deadline`; returns true when stopped meanwhile (or before).
  template <class Clock, class Duration>
  bool wait_until(std::chrono::time_point<Clock, Duration> deadline) {
    std::unique_lock lock(mutex_);
    return wake_.wait_until(lock, deadline, [this] { return requested_.load(); });
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<bool> requested_{false};
};

}  // namespace vigil::sdk
