#include "core/app/maintenance.hpp"

#include <string>

#include "core/support/log.hpp"

namespace vigil::core {

Maintenance::Maintenance(std::function<void()> task, std::chrono::milliseconds period)
    : task_(std::move(task)), period_(period), thread_([this] { run(); }) {}

Maintenance::~Maintenance() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Maintenance::run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, period_, [this] { return stopping_; })) {
    lock.unlock();
    try {
      task_();
    } catch (const std::exception& e) {
      log(LogLevel::error, "workflow", std::string("maintenance failed: ") + e.what());
    }
    lock.lock();
  }
}

}  // namespace vigil::core
