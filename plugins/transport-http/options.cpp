#include "options.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

namespace vigil::http {
namespace {

using Json = nlohmann::json;

const std::set<std::string> kKnownKeys = {"listen",
                                          "threads",
                                          "max_body_bytes",
                                          "header_timeout_ms",
                                          "body_timeout_ms",
                                          "keep_alive",
                                          "keep_alive_timeout_ms",
                                          "clock_skew_ms",
                                          "device_requests_per_second",
                                          "device_burst",
                                          "max_nonces_per_device"};

[[noreturn]] void fail(const std::string& key, const std::string& why) {
  throw std::invalid_argument("transport-http: option " + key + ": " + why);
}

void allow_only_known(const Json& object) {
  for (const auto& [key, value] : object.items()) {
    if (kKnownKeys.count(key)) continue;
    std::string known;
    for (const auto& k : kKnownKeys) known += (known.empty() ? "" : ", ") + k;
    fail(key, "unknown option (known: " + known + ")");
  }
}

int64_t integer(const Json& object, const std::string& key, int64_t fallback, int64_t low, int64_t high) {
  if (!object.contains(key)) return fallback;
  const Json& value = object[key];
  // A float such as 2.5 is refused rather than truncated: the config meant something else.
  if (!value.is_number_integer() || value.get<int64_t>() < low || value.get<int64_t>() > high)
    fail(key, "expected an integer from " + std::to_string(low) + " to " + std::to_string(high));
  return value.get<int64_t>();
}

bool boolean(const Json& object, const std::string& key, bool fallback) {
  if (!object.contains(key)) return fallback;
  if (!object[key].is_boolean()) fail(key, "expected true or false");
  return object[key].get<bool>();
}

uint16_t parse_port(const std::string& text) {
  const std::string why = "expected \"HOST:PORT\" with a port from 0 to 65535, e.g. \"127.0.0.1:8080\"";
  if (text.empty() || text.size() > 5 || text.find_first_not_of("0123456789") != std::string::npos) fail("listen", why);
  int port = std::stoi(text);
  if (port > 65535) fail("listen", why);
  return static_cast<uint16_t>(port);
}

// Splits at the last colon, so that a bracketed IPv6 host keeps its own.
void parse_listen(const Json& object, Options& out) {
  if (!object.contains("listen")) return;
  if (!object["listen"].is_string()) fail("listen", "expected a string \"HOST:PORT\"");
  const std::string text = object["listen"];
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0)
    fail("listen", "expected \"HOST:PORT\", e.g. \"127.0.0.1:8080\", got \"" + text + "\"");
  std::string host = text.substr(0, colon);
  if (host.find(':') != std::string::npos && (host.front() != '[' || host.back() != ']'))
    fail("listen", "write an IPv6 host in brackets, e.g. \"[::1]:8080\"");
  out.host = host;
  out.port = parse_port(text.substr(colon + 1));
}

}  // namespace

Options parse_options(const std::string& text) {
  Json json = Json::parse(text.empty() ? "{}" : text, nullptr, false);
  if (json.is_discarded()) fail("(all)", "not valid JSON");
  if (!json.is_object()) fail("(all)", "expected a mapping of options");
  allow_only_known(json);
  Options out;
  parse_listen(json, out);
  out.threads = static_cast<int>(integer(json, "threads", out.threads, 1, 64));
  out.max_body_bytes = static_cast<size_t>(integer(json, "max_body_bytes", 65536, 1, 64 << 20));
  out.header_timeout_ms = integer(json, "header_timeout_ms", out.header_timeout_ms, 1, 3600000);
  out.body_timeout_ms = integer(json, "body_timeout_ms", out.body_timeout_ms, 1, 3600000);
  out.keep_alive = boolean(json, "keep_alive", out.keep_alive);
  out.keep_alive_timeout_ms = integer(json, "keep_alive_timeout_ms", out.keep_alive_timeout_ms, 1, 3600000);
  out.auth.window_ms = integer(json, "clock_skew_ms", out.auth.window_ms, 1000, 600000);
  out.auth.requests_per_second = static_cast<double>(integer(json, "device_requests_per_second", 20, 1, 100000));
  out.auth.burst = static_cast<double>(integer(json, "device_burst", 40, 1, 100000));
  // Enough nonces for a device at its full rate over the remembered span
  // (twice the clock window), so only a replay or a flood past the rate
  // limit meets a full cache.
  int64_t needed = static_cast<int64_t>(
      out.auth.requests_per_second * 2.0 * static_cast<double>(out.auth.window_ms) / 1000.0 + out.auth.burst);
  out.auth.max_nonces_per_device =
      static_cast<size_t>(integer(json, "max_nonces_per_device", std::max<int64_t>(8192, needed), 16, 100000000));
  return out;
}

std::string host_port(const std::string& host, uint16_t port) {
  return host + ":" + std::to_string(port);
}

}  // namespace vigil::http
