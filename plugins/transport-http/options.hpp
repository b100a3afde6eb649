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
  // Open connections, in all and from one source address (connection_limits.hpp).
  // Sized for 20,000 parked EAs and the requests beside them; one source (a
  // NAT in front of a whole fleet, a benchmark on loopback) may hold half.
  size_t max_connections = 25000;
  size_t max_connections_per_source = 12500;  // default: half of max_connections
  // Long-polls parked at once; past this many one is answered at once, and
  // its EA falls back to polling. Parked waits hold no thread, only their
  // session (6.6 KiB each measured, bench/README.md "fan-out").
  size_t max_parked_waits = 20000;
  AuthOptions auth;                           // device authentication (device_auth.hpp)
  std::string console_dir;                    // the console's files; "": console/ beside the plugins' directory
};

// Throws std::invalid_argument naming the key that is wrong.
Options parse_options(const std::string& json);

// "127.0.0.1:8080" or "[::1]:8080", as `listen` is written.
std::string host_port(const std::string& host, uint16_t port);

}  // namespace vigil::http
