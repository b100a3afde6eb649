// Counts requests between their arrival and the moment their answer is
// written (or its write fails), so that stop() can let them finish before
// the server's threads stop.
//
// Stopping the server at once would drop an answer a handler is still
// computing, and its client would wait in vain. stop() therefore drains
// first: new requests are refused (503, close) while the ones in flight
// finish.
//
// Threading: every function may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace vigil::http {

class InFlight {
 public:
  // Counts a request in. False while draining: refuse the request instead.
  bool enter() noexcept;
  // Counts a request out, once its answer is written (or cannot be).
  void leave() noexcept;
  // Refuses new requests from now on and waits until none is in flight or
  // `timeout` passes. Returns true when none is left.
  bool drain(std::chrono::milliseconds timeout);
  // Accepts requests again (a transport started anew after a stop).
  void reopen() noexcept;

 private:
  std::mutex mutex_;
  std::condition_variable idle_;
  size_t count_ = 0;
  bool draining_ = false;
};

}  // namespace vigil::http
