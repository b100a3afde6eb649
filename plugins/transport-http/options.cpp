#include "options.hpp"

#include <algorithm>
#include <stdexcept>

#include "vigil/cpp/options.hpp"

namespace vigil::http {
namespace {

uint16_t parse_port(const sdk::Options& o, const std::string& text) {
  const std::string why = "expected \"HOST:PORT\" with a port from 0 to 65535, e.g. \"127.0.0.1:8080\"";
  if (text.empty() || text.size() > 5 || text.find_first_not_of("0123456789") != std::string::npos)
    o.fail("listen", why);
  int port = std::stoi(text);
  if (port > 65535) o.fail("listen", why);
  return static_cast<uint16_t>(port);
}

// Splits at the last colon, so that a bracketed IPv6 host keeps its own.
void parse_listen(const sdk::Options& o, Options& out) {
  if (!o.has("listen")) return;
  const std::string text = o.string("listen", "", "a string \"HOST:PORT\"");
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0)
    o.fail("listen", "expected \"HOST:PORT\", e.g. \"127.0.0.1:8080\", got \"" + text + "\"");
  std::string host = text.substr(0, colon);
  if (host.find(':') != std::string::npos && (host.front() != '[' || host.back() != ']'))
    o.fail("listen", "write an IPv6 host in brackets, e.g. \"[::1]:8080\"");
  out.host = host;
  out.port = parse_port(o, text.substr(colon + 1));
}

}  // namespace

Options parse_options(const std::string& text) {
  sdk::Options o(text, "transport-http");
  o.allow({"listen", "threads", "max_body_bytes", "header_timeout_ms", "body_timeout_ms", "keep_alive",
           "keep_alive_timeout_ms", "max_connections", "max_connections_per_source", "max_parked_waits",
           "clock_skew_ms", "device_requests_per_second", "device_burst", "max_nonces_per_device", "console_dir"});
  Options out;
  parse_listen(o, out);
  out.console_dir = o.string("console_dir", out.console_dir, "the path of a directory");
  // A float such as 2.5 is refused rather than truncated: the config meant something else.
  out.threads = static_cast<int>(o.integer("threads", out.threads, 1, 64));
  out.max_body_bytes = static_cast<size_t>(o.integer("max_body_bytes", 65536, 1, 64 << 20));
  out.header_timeout_ms = o.integer("header_timeout_ms", out.header_timeout_ms, 1, 3600000);
  out.body_timeout_ms = o.integer("body_timeout_ms", out.body_timeout_ms, 1, 3600000);
  out.keep_alive = o.boolean("keep_alive", out.keep_alive);
  out.keep_alive_timeout_ms = o.integer("keep_alive_timeout_ms", out.keep_alive_timeout_ms, 1, 3600000);
  out.max_connections = static_cast<size_t>(o.integer("max_connections", out.max_connections, 1, 1000000));
  out.max_connections_per_source = static_cast<size_t>(
      o.integer("max_connections_per_source", std::max<size_t>(1, out.max_connections / 2), 1, 1000000));
  out.max_parked_waits = static_cast<size_t>(o.integer("max_parked_waits", out.max_parked_waits, 0, 1000000));
  out.auth.window_ms = o.integer("clock_skew_ms", out.auth.window_ms, 1000, 600000);
  out.auth.requests_per_second = static_cast<double>(o.integer("device_requests_per_second", 20, 1, 100000));
  out.auth.burst = static_cast<double>(o.integer("device_burst", 40, 1, 100000));
  // Enough nonces for a device at its full rate over the remembered span
  // (twice the clock window), so only a replay or a flood past the rate
  // limit meets a full cache.
  int64_t needed = static_cast<int64_t>(
      out.auth.requests_per_second * 2.0 * static_cast<double>(out.auth.window_ms) / 1000.0 + out.auth.burst);
  out.auth.max_nonces_per_device =
      static_cast<size_t>(o.integer("max_nonces_per_device", std::max<int64_t>(8192, needed), 16, 100000000));
  return out;
}

std::string host_port(const std::string& host, uint16_t port) {
  return host + ":" + std::to_string(port);
}

}  // namespace vigil::http
