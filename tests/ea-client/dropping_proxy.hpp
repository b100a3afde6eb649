// A loopback TCP relay in front of vigild that loses requests on purpose:
// the first `times` times a client sends bytes containing `marker`, the
// relay drops them and closes that connection, so the server never sees the
// request and the client never gets an answer (what a dead link or a proxy
// timeout does to an EA). Everything else is relayed byte for byte. Real
// sockets, real server: the fault is in the network, not in the client.
//
// Twice to make a libcurl client see the loss: when a reused connection
// dies before any answer, libcurl sends the request once more on a fresh one.
//
// Threading: runs its own accept thread and one thread per connection;
// the destructor stops and joins them.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace vigil::test {

class DroppingProxy {
 public:
  DroppingProxy(uint16_t target_port, std::string marker, int times);
  ~DroppingProxy();
  DroppingProxy(const DroppingProxy&) = delete;
  DroppingProxy& operator=(const DroppingProxy&) = delete;

  uint16_t port() const { return port_; }
  // How many times `marker` went by, dropped or not.
  int seen() const { return seen_; }

 private:
  void accept_loop();
  void relay(int client);
  // Forwards what `from` has to `to`; false when the connection is over.
  bool forward(int from, int to, bool from_client);

  uint16_t target_port_;
  std::string marker_;
  int listener_ = -1;
  uint16_t port_ = 0;
  int times_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> seen_{0};
  std::mutex mutex_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace vigil::test
