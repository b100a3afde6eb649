// Runs a set of independent tasks on a fixed set of threads and returns
// once every one has run: for work that blocks (a store commit) and can be
// done side by side, such as one engine output touching thousands of
// clients' books, each committing its close commands (the store commits
// concurrent batches together, so side by side they share commits).
//
// Threading: run_all() may be called from several threads at once; the
// caller runs tasks too, so a pool of N threads runs up to N + callers.
// The threads take the callers' tasks in turn, one job's after another's.
// Ownership: the pool owns its threads; the destructor joins them (no
// run_all() may be under way then).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace vigil::core {

class ForkJoinPool {
 public:
  explicit ForkJoinPool(size_t threads);
  ~ForkJoinPool();
  ForkJoinPool(const ForkJoinPool&) = delete;
  ForkJoinPool& operator=(const ForkJoinPool&) = delete;

  // Runs every task once, in no particular order, and returns when all
  // have run. One task alone runs on the caller, with no hand-over. If
  // tasks throw, every other task still runs and the first exception is
  // rethrown here.
  void run_all(const std::vector<std::function<void()>>& tasks);

 private:
  struct Job;
  // Runs the job's next task; false when none was left to take.
  static bool run_one(Job& job);
  void work();

  std::mutex mutex_;
  std::condition_variable wanted_;
  std::deque<std::shared_ptr<Job>> jobs_;  // with tasks not yet taken
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace vigil::core
