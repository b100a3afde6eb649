// A thread that runs one task every `period` until destroyed: the
// workflow's escalation (alerts, expiry, retries, silent devices), whose
// times the task reads from the host's Clock itself.
//
// The period is steady time: it paces the thread, it does not say what
// time it is, so a test that stops the Clock does not stop the thread.
//
// Ownership: owns its thread; what `task` reaches must outlive it.
// Threading: the task runs on the maintenance thread only, never twice at
// once. Destruction waits for a running task, then joins.
// Errors: a task that throws is logged and run again at the next period.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace vigil::core {

class Maintenance {
 public:
  Maintenance(std::function<void()> task, std::chrono::milliseconds period);
  ~Maintenance();
  Maintenance(const Maintenance&) = delete;
  Maintenance& operator=(const Maintenance&) = delete;

 private:
  void run();

  std::function<void()> task_;
  std::chrono::milliseconds period_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the rest is ready
};

}  // namespace vigil::core
