// Holding GET /close-commands?wait=S open until the host says the device
// may have a new command (vigil_app.watch), the wait ends, or the transport
// stops. The wake comes within the host's commit of the breach, so a
// waiting EA hears of it in milliseconds.
//
// A parked request holds one of the server's threads while it waits, so at
// most `max_parked` requests wait at once, leaving threads for everything
// else; beyond that a request is answered at once, as with wait=0.
//
// Threading: all members are thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <set>
#include <string>

#include "app_client.hpp"

namespace vigil::http {

class LongPoll {
 public:
  LongPoll(const AppClient& app, size_t max_parked) : app_(app), max_parked_(max_parked) {}

  // Runs `query` (the current answer; true when it has something); while it
  // has nothing, waits up to `wait` for a wake of `device_id` and runs it
  // again. Watching starts before the first query, so nothing is missed.
  void run(const std::string& device_id, std::chrono::milliseconds wait, const std::function<bool()>& query);
  // Ends every wait now and makes later ones return at once; reopen() undoes.
  void stop();
  void reopen();

 private:
  struct Waiter {
    std::mutex mutex;
    std::condition_variable changed;
    bool woken = false;
  };
  static void wake(void* user);
  bool park();
  void unpark();

  const AppClient& app_;
  size_t max_parked_;
  std::mutex mutex_;
  std::set<Waiter*> parked_;
  bool stopping_ = false;
};

}  // namespace vigil::http
