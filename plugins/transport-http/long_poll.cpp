#include "long_poll.hpp"

namespace vigil::http {

void LongPoll::wake(void* user) {
  auto* w = static_cast<Waiter*>(user);
  {
    std::lock_guard lock(w->mutex);
    w->woken = true;
  }
  w->changed.notify_all();
}

void LongPoll::run(const std::string& device_id, std::chrono::milliseconds wait, const std::function<bool()>& query) {
  Waiter waiter;
  bool may_wait = wait.count() > 0;
  if (may_wait) {
    std::lock_guard lock(mutex_);
    may_wait = !stopping_ && parked_.size() < max_parked_;
    if (may_wait) parked_.insert(&waiter);
  }
  if (!may_wait) {
    query();
    return;
  }
  uint64_t token = app_.watch(device_id, &LongPoll::wake, &waiter);
  auto deadline = std::chrono::steady_clock::now() + wait;
  while (!query()) {
    {
      std::unique_lock lock(waiter.mutex);
      if (!waiter.changed.wait_until(lock, deadline, [&] { return waiter.woken; })) break;  // the wait ended
      waiter.woken = false;
    }
    std::lock_guard stop_lock(mutex_);  // never while holding waiter.mutex: stop() locks the other way round
    if (stopping_) break;
  }
  app_.unwatch(token);  // after this, wake() no longer runs for `waiter`
  std::lock_guard lock(mutex_);
  parked_.erase(&waiter);
}

void LongPoll::stop() {
  std::lock_guard lock(mutex_);
  stopping_ = true;
  for (Waiter* w : parked_) wake(w);
}

void LongPoll::reopen() {
  std::lock_guard lock(mutex_);
  stopping_ = false;
}

}  // namespace vigil::http
