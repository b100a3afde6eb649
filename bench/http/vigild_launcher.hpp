// vigild started for a benchmark: a YAML config in a fresh temporary
// directory (store-sqlite, cipher-sodium, rule-sltp, transport-http on a
// port the system picks), the admin token in its environment; SIGTERM and
// the directory removed at the end.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace vigil::bench {

inline constexpr const char* kAdminToken = "bench-http-admin-token-0123456789";

class VigildLauncher {
 public:
  // `transport_options` is the YAML flow mapping of transport-http's options.
  explicit VigildLauncher(const std::string& transport_options);
  ~VigildLauncher();
  VigildLauncher(const VigildLauncher&) = delete;
  VigildLauncher& operator=(const VigildLauncher&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return pid_; }

 private:
  std::string dir_;
  pid_t pid_ = -1;
  int out_ = -1;  // vigild's stdout
  uint16_t port_ = 0;
};

}  // namespace vigil::bench
