// Parked long-polls: GET /close-commands?wait=S waits in the server's event
// loop, holding no thread, until the host says the device may have a new
// command (vigil_app.watch), its wait ends, or the transport stops. The
// wake comes within the host's commit of the breach, so a waiting EA hears
// of it in milliseconds, however many others wait.
//
// LongPoll keeps the registrations. A parked session watches its device
// with a `notify` that only posts to the session's strand (it runs on the
// host's committing thread, or on the thread calling stop()); the session
// then asks the host again, on the long-poll's own threads (run()), and
// answers, or keeps waiting.
//
// Why threads of its own: asking again delivers the command, which the
// host makes durable before answering, so the question blocks on a store
// commit. One breach of ten thousand positions wakes ten thousand waits at
// once; asked on the server's few threads they would commit a few at a
// time, each paying a commit. On kQueryThreads threads that many commit at
// the same time, and the host's store commits concurrent batches together.
// The threads are fixed, whatever the number of waits.
//
// Threading: all members are thread-safe. Once unwatch() returns, that
// registration's notify is not running and never runs again.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "app_client.hpp"

namespace vigil::http {

class LongPoll {
 public:
  // At most `max_parked` requests wait at once; beyond that a request is
  // answered at once, as with wait=0 (a cap on memory, not on threads).
  LongPoll(const AppClient& app, size_t max_parked) : app_(app), max_parked_(max_parked) {}

  // Watches `device_id`: `notify` runs whenever the host wakes it, and once
  // when stop() is called. 0 when the request cannot park (stopping, or
  // max_parked waiting): answer it at once.
  uint64_t watch(const std::string& device_id, std::function<void()> notify);
  void unwatch(uint64_t token);
  // Runs `query` on the long-poll's threads (at once on the caller's once
  // join() has run).
  void run(std::function<void()> query);
  // Notifies every parked request (each answers with what it has) and makes
  // later watches fail; reopen() undoes.
  void stop();
  // After stop(), once every parked request has answered: waits for the
  // queries still running (their answers are posted to sessions, so the
  // server must still run). reopen() starts the threads again.
  void join();
  void reopen();
  bool stopping() const;
  size_t parked() const;  // requests watching now (the gauge on /metrics)

  static constexpr size_t kQueryThreads = 32;

 private:
  struct Waiter {
    std::function<void()> notify;
    uint64_t host_token = 0;
  };
  static void wake(void* user);

  const AppClient& app_;
  const size_t max_parked_;
  mutable std::mutex mutex_;
  std::unordered_map<uint64_t, std::unique_ptr<Waiter>> parked_;
  uint64_t next_token_ = 1;
  bool stopping_ = false;
  std::shared_ptr<boost::asio::thread_pool> queries_;
};

}  // namespace vigil::http
