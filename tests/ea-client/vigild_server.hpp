// vigild started for a test as tests/api does it: a YAML config in a
// temporary directory (store-sqlite, cipher-sodium with a 0600 key file,
// rule-sltp, transport-http on port 0), the admin token in the
// environment, stopped with SIGTERM when the test ends.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "examples/ea-client/admin_api.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace vigil::test {

inline constexpr const char* kAdminToken = "ea-client-test-admin-token-0123456789";

class VigildServer {
 public:
  VigildServer();
  ~VigildServer();

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  uint16_t port() const { return port_; }
  ea::AdminApi admin() const { return ea::AdminApi(url(), kAdminToken); }
  // A file in the server's temporary directory (for a device secret).
  std::string write_file(const std::string& name, const std::string& text) const;

 private:
  TempDir dir_;
  std::unique_ptr<ChildProcess> process_;
  uint16_t port_ = 0;
};

}  // namespace vigil::test
