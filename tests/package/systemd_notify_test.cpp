// SystemdNotifier against real AF_UNIX datagram sockets, bound the way
// systemd binds its notify socket: a filesystem path and an abstract name.
#include "hosts/common/systemd_notify.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>

using vigil::host::SystemdNotifier;

namespace {

// A datagram socket bound to `name` (a path, or '@' then an abstract name),
// as systemd's own; receive() waits at most a second.
class NotifySocket {
 public:
  explicit NotifySocket(const std::string& name) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, name.data(), name.size());
    if (name[0] == '@') address.sun_path[0] = '\0';
    auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
    if (::bind(fd_, reinterpret_cast<const sockaddr*>(&address), length) != 0)
      throw std::runtime_error("bind " + name + ": " + std::strerror(errno));
    timeval timeout{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~NotifySocket() { ::close(fd_); }

  std::string receive() const {
    char buffer[256];
    ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    return n < 0 ? "<nothing within a second>" : std::string(buffer, static_cast<size_t>(n));
  }

 private:
  int fd_ = -1;
};

std::string temp_socket_path() {
  return (std::filesystem::temp_directory_path() / ("vigil-notify-" + std::to_string(::getpid()))).string();
}

}  // namespace

TEST(SystemdNotifier, SendsEachStateAsOneDatagramToASocketPath) {
  std::string path = temp_socket_path();
  std::filesystem::remove(path);
  NotifySocket systemd(path);
  SystemdNotifier notifier(path);
  notifier.notify("READY=1");
  notifier.notify("STOPPING=1");
  EXPECT_EQ(systemd.receive(), "READY=1");
  EXPECT_EQ(systemd.receive(), "STOPPING=1");
  std::filesystem::remove(path);
}

TEST(SystemdNotifier, ReachesAnAbstractSocketNamedWithAnAt) {
  std::string name = "@vigil-notify-test-" + std::to_string(::getpid());
  NotifySocket systemd(name);
  SystemdNotifier(name).notify("RELOADING=1");
  EXPECT_EQ(systemd.receive(), "RELOADING=1");
}

TEST(SystemdNotifier, TakesItsSocketFromNotifySocketAndIsInactiveWithout) {
  std::string path = temp_socket_path();
  std::filesystem::remove(path);
  NotifySocket systemd(path);
  ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
  SystemdNotifier from_env = SystemdNotifier::from_environment();
  EXPECT_TRUE(from_env.active());
  from_env.notify("READY=1");
  EXPECT_EQ(systemd.receive(), "READY=1");

  ::unsetenv("NOTIFY_SOCKET");
  SystemdNotifier outside = SystemdNotifier::from_environment();
  EXPECT_FALSE(outside.active());
  EXPECT_NO_THROW(outside.notify("READY=1"));  // not run by systemd: nothing to tell
  std::filesystem::remove(path);
}

TEST(SystemdNotifier, AFailedSendNamesTheSocketAndTheReason) {
  std::string path = temp_socket_path() + "-nobody-listens";
  try {
    SystemdNotifier(path).notify("READY=1");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "systemd notify socket " + path + ": cannot send: No such file or directory");
  }
}

TEST(SystemdNotifier, RefusesASocketPathTooLongForSockaddrUn) {
  std::string path = "/tmp/" + std::string(200, 'x');
  EXPECT_THROW(SystemdNotifier(path).notify("READY=1"), std::runtime_error);
}
