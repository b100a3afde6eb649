// Tells systemd what the service is doing (the sd_notify(3) protocol)
// without linking libsystemd: each state is one datagram, such as
// "READY=1", sent to the AF_UNIX socket systemd names in $NOTIFY_SOCKET
// when it runs vigild as a Type=notify service.
//
// A socket path starting with '@' is in the abstract namespace (the '@'
// stands for the leading NUL byte), as sd_notify reads it.
//
// Ownership: holds the socket path only; each notify() opens, sends and
// closes its own socket, so a notifier is cheap to copy.
// Threading: notify() may be called from any thread.
// Errors: notify() throws std::runtime_error naming the socket and the
// system's reason; an inactive notifier (no socket) sends nothing.
#pragma once

#include <string>
#include <string_view>

namespace vigil::host {

class SystemdNotifier {
 public:
  // The socket named by $NOTIFY_SOCKET; inactive when it is unset or empty.
  static SystemdNotifier from_environment();

  explicit SystemdNotifier(std::string socket_path) : socket_path_(std::move(socket_path)) {}

  bool active() const noexcept { return !socket_path_.empty(); }
  // Sends `state` ("READY=1", "STOPPING=1", "RELOADING=1"; several
  // assignments may be joined by newlines) as one datagram.
  void notify(std::string_view state) const;

 private:
  std::string socket_path_;
};

}  // namespace vigil::host
