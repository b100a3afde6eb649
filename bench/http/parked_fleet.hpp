// A fleet of EAs each parked in a signed long-poll
// (GET /api/v1/client/close-commands?wait=S) on its own raw TCP connection,
// all driven by one Boost.Asio thread, so that ten thousand waiting EAs cost
// the client no thread each either. An EA whose wait ends with no command
// parks again on the same kept-alive connection (an idle EA's steady state);
// the first answer that holds commands is kept with the time it arrived.
//
// Threading: the constructor, start() and the readers below run on the
// caller's thread; the connections run on the fleet's own thread, started
// by start() and joined by the destructor.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "examples/ea-client/ea_api.hpp"

namespace vigil::bench {

class ParkedFleet {
 public:
  using Clock = std::chrono::steady_clock;

  struct Delivery {
    std::string device_id;
    int status = 0;
    std::string body;              // the answer's JSON
    Clock::time_point arrived_at;  // when its last byte was read
  };

  ParkedFleet(uint16_t port, std::vector<ea::Credentials> devices, int wait_seconds);
  ~ParkedFleet();
  ParkedFleet(const ParkedFleet&) = delete;
  ParkedFleet& operator=(const ParkedFleet&) = delete;

  // Connects every EA and sends its first long-poll.
  void start();
  // Long-polls sent so far (the first ones and every re-park).
  uint64_t requests_sent() const { return sent_.load(); }
  // EAs holding their command (their connection is then left idle).
  size_t delivered() const { return delivered_.load(); }
  // Connections that failed (refused, reset, a malformed answer).
  size_t failed() const { return failed_.load(); }
  // The answers that held commands; call once delivered() + failed()
  // reached the fleet's size.
  std::vector<Delivery> deliveries() const;

 private:
  struct Ea;
  class Loop;
  std::unique_ptr<Loop> loop_;
  std::vector<std::shared_ptr<Ea>> eas_;
  std::atomic<uint64_t> sent_{0};
  std::atomic<size_t> delivered_{0}, failed_{0};
  std::thread thread_;
};

}  // namespace vigil::bench
