#include "core/support/fork_join.hpp"

#include <atomic>

namespace vigil::core {

struct ForkJoinPool::Job {
  // Valid while a task is untaken or running: the caller waits for those.
  const std::vector<std::function<void()>>* tasks;
  size_t size = 0;  // read instead of tasks->size(): the job may outlive them
  std::atomic<size_t> next{0};
  std::mutex mutex;  // guards the fields below
  std::condition_variable finished;
  size_t done = 0;
  std::exception_ptr error;
};

ForkJoinPool::ForkJoinPool(size_t threads) {
  for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

ForkJoinPool::~ForkJoinPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wanted_.notify_all();
  for (std::thread& t : threads_) t.join();
}

bool ForkJoinPool::run_one(Job& job) {
  size_t index = job.next.fetch_add(1);
  if (index >= job.size) return false;
  std::exception_ptr error;
  try {
    (*job.tasks)[index]();
  } catch (...) {
    error = std::current_exception();
  }
  std::lock_guard lock(job.mutex);
  if (error && !job.error) job.error = error;
  if (++job.done == job.size) job.finished.notify_all();
  return true;
}

void ForkJoinPool::run_all(const std::vector<std::function<void()>>& tasks) {
  if (tasks.empty()) return;
  if (tasks.size() == 1 || threads_.empty()) {
    std::exception_ptr first;
    for (const auto& task : tasks) try {
        task();
      } catch (...) {
        if (!first) first = std::current_exception();
      }
    if (first) std::rethrow_exception(first);
    return;
  }
  auto job = std::make_shared<Job>();
  job->tasks = &tasks;
  job->size = tasks.size();
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(job);
  }
  wanted_.notify_all();
  while (run_one(*job)) {
  }
  std::unique_lock lock(job->mutex);
  job->finished.wait(lock, [&] { return job->done == tasks.size(); });
  if (job->error) std::rethrow_exception(job->error);
}

void ForkJoinPool::work() {
  for (;;) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock lock(mutex_);
      wanted_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      if (stopping_) return;
      job = jobs_.front();
      jobs_.pop_front();
      // Every task taken: the job leaves the queue (its caller waits for
      // the last ones to finish).
      if (job->next.load() >= job->size) continue;
      // Round robin: callers running at once share the threads, so a long
      // job (a takeover's thousands of books) never holds up a short one
      // (the books one tick breached) until its last task is taken.
      jobs_.push_back(job);
    }
    run_one(*job);
  }
}

}  // namespace vigil::core
