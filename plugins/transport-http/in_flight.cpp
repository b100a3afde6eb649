#include "in_flight.hpp"

namespace vigil::http {

bool InFlight::enter() noexcept {
  std::lock_guard lock(mutex_);
  if (draining_) return false;
  ++count_;
  return true;
}

void InFlight::leave() noexcept {
  std::lock_guard lock(mutex_);
  if (count_ > 0 && --count_ == 0) idle_.notify_all();
}

bool InFlight::drain(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  draining_ = true;
  return idle_.wait_for(lock, timeout, [this] { return count_ == 0; });
}

void InFlight::reopen() noexcept {
  std::lock_guard lock(mutex_);
  draining_ = false;
}

}  // namespace vigil::http
