#include "hosts/common/systemd_notify.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace vigil::host {
namespace {

std::runtime_error notify_error(const std::string& socket_path, const char* what) {
  return std::runtime_error("systemd notify socket " + socket_path + ": " + what + ": " + std::strerror(errno));
}

}  // namespace

SystemdNotifier SystemdNotifier::from_environment() {
  const char* path = std::getenv("NOTIFY_SOCKET");
  return SystemdNotifier(path ? path : "");
}

void SystemdNotifier::notify(std::string_view state) const {
  if (!active()) return;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket_path_.size() >= sizeof address.sun_path)
    throw std::runtime_error("systemd notify socket " + socket_path_ + ": the path is too long");
  std::memcpy(address.sun_path, socket_path_.data(), socket_path_.size());
  if (address.sun_path[0] == '@') address.sun_path[0] = '\0';
  // The address length counts the path exactly: an abstract name is not
  // NUL-terminated, and a trailing NUL would be part of its name.
  auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socket_path_.size());

  int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw notify_error(socket_path_, "cannot create a socket");
  ssize_t sent =
      ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL, reinterpret_cast<const sockaddr*>(&address), length);
  int send_errno = errno;
  ::close(fd);
  errno = send_errno;
  if (sent < 0) throw notify_error(socket_path_, "cannot send");
}

}  // namespace vigil::host
