#include "long_poll.hpp"

#include <boost/asio/post.hpp>

namespace vigil::http {

void LongPoll::wake(void* user) {
  static_cast<Waiter*>(user)->notify();
}

uint64_t LongPoll::watch(const std::string& device_id, std::function<void()> notify) {
  auto waiter = std::make_unique<Waiter>();
  waiter->notify = std::move(notify);
  Waiter* registered = waiter.get();
  uint64_t token = 0;
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || parked_.size() >= max_parked_) return 0;
    token = next_token_++;
    parked_.emplace(token, std::move(waiter));
  }
  // Outside the lock: the host's watch takes its own, under which it wakes.
  // Until it returns, only stop() can notify, and the waiter is complete.
  registered->host_token = app_.watch(device_id, &LongPoll::wake, registered);
  return token;
}

void LongPoll::unwatch(uint64_t token) {
  std::unique_ptr<Waiter> waiter;
  {
    std::lock_guard lock(mutex_);
    auto it = parked_.find(token);
    if (it == parked_.end()) return;
    waiter = std::move(it->second);
    parked_.erase(it);
  }
  app_.unwatch(waiter->host_token);  // after this, wake() no longer runs for it
}

void LongPoll::stop() {
  std::lock_guard lock(mutex_);
  stopping_ = true;
  for (auto& [token, waiter] : parked_) waiter->notify();
}

void LongPoll::run(std::function<void()> query) {
  std::shared_ptr<boost::asio::thread_pool> queries;
  {
    std::lock_guard lock(mutex_);
    queries = queries_;
  }
  if (!queries) return query();
  boost::asio::post(*queries, std::move(query));
}

void LongPoll::join() {
  std::shared_ptr<boost::asio::thread_pool> queries;
  {
    std::lock_guard lock(mutex_);
    queries = std::move(queries_);
  }
  if (queries) queries->join();
}

void LongPoll::reopen() {
  std::lock_guard lock(mutex_);
  stopping_ = false;
  if (!queries_) queries_ = std::make_shared<boost::asio::thread_pool>(kQueryThreads);
}

size_t LongPoll::parked() const {
  std::lock_guard lock(mutex_);
  return parked_.size();
}

bool LongPoll::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

}  // namespace vigil::http
