#include "tests/ea-client/dropping_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace vigil::test {
namespace {

sockaddr_in loopback(uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

int connect_to(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = loopback(port);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

DroppingProxy::DroppingProxy(uint16_t target_port, std::string marker, int times)
    : target_port_(target_port), marker_(std::move(marker)), times_(times) {
  listener_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = loopback(0);
  socklen_t size = sizeof address;
  if (bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || listen(listener_, 16) != 0 ||
      getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size) != 0)
    throw std::runtime_error("proxy: cannot listen");
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

DroppingProxy::~DroppingProxy() {
  stopping_ = true;
  shutdown(listener_, SHUT_RDWR);
  acceptor_.join();
  close(listener_);
  std::lock_guard lock(mutex_);
  for (auto& t : threads_) t.join();
}

void DroppingProxy::accept_loop() {
  while (!stopping_) {
    int client = accept(listener_, nullptr, nullptr);
    if (client < 0) return;
    std::lock_guard lock(mutex_);
    threads_.emplace_back([this, client] { relay(client); });
  }
}

void DroppingProxy::relay(int client) {
  int server = connect_to(target_port_);
  // Polls with a timeout so that a test's end stops idle kept-alive relays.
  while (server >= 0 && !stopping_) {
    pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
    if (poll(fds, 2, 100) < 0) break;
    if ((fds[0].revents & (POLLIN | POLLHUP)) && !forward(client, server, true)) break;
    if ((fds[1].revents & (POLLIN | POLLHUP)) && !forward(server, client, false)) break;
  }
  close(client);
  if (server >= 0) close(server);
}

bool DroppingProxy::forward(int from, int to, bool from_client) {
  char buffer[65536];
  ssize_t n = read(from, buffer, sizeof buffer);
  if (n <= 0) return false;
  std::string_view bytes(buffer, static_cast<size_t>(n));
  if (from_client && bytes.find(marker_) != std::string_view::npos && seen_.fetch_add(1) < times_) return false;
  return write(to, buffer, static_cast<size_t>(n)) == n;
}

}  // namespace vigil::test
