// The options of transport-http, read from the config's JSON.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "device_auth.hpp"

namespace vigil::http {

struct Options {
  std::string host = "127.0.0.1";  // as written; IPv6 in brackets: "[::1]"
  uint16_t port = 8080;            // 0: the system picks a free port
  int threads = 2;
  size_t max_body_bytes = 65536;
  int64_t header_timeout_ms = 10000;
  int64_t body_timeout_ms = 30000;
  bool keep_alive = true;
  int64_t keep_alive_timeout_ms = 60000;  // an idle kept-alive connection is closed after this
  AuthOptions auth;                       // device authentication (device_auth.hpp)
};

// Throws std::invalid_argument naming the key that is wrong.
Options parse_options(const std::string& json);

// "127.0.0.1:8080" or "[::1]:8080", as `listen` is written.
std::string host_port(const std::string& host, uint16_t port);

}  // namespace vigil::http
