// A request and its answer as the routes see them: plain data, no HTTP library,
// so that routing and answering can be tested without a socket.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil::http {

inline constexpr std::string_view kJson = "application/json";
inline constexpr std::string_view kPrometheusText = "text/plain; version=0.0.4";

// The device-authentication headers of docs/http-api.md, viewing the
// request's bytes like the rest of HttpRequest.
struct DeviceHeaders {
  std::string_view device_id, timestamp, nonce, signature;  // empty when absent
};

struct HttpRequest {
  std::string_view method;  // "GET", "POST", ...
  std::string_view path;    // without the query
  std::string_view body;
  std::string_view authorization;  // the Authorization header, empty when absent
  std::string_view query;          // the query without '?', empty when none
  std::string_view request_id;     // the dispatcher's id for this request (request_ids.hpp)
  DeviceHeaders device;
  // Path parameters of the matched route ("{position_id}" -> value).
  std::vector<std::pair<std::string, std::string>> params;

  std::string param(std::string_view name) const {
    for (const auto& [key, value] : params)
      if (key == name) return value;
    return {};
  }
};

struct ParkRequest;

struct HttpReply {
  int status = 200;
  std::string content_type{kJson};
  std::string body;
  std::vector<std::string> allow;  // methods for the Allow header of a 405
  int retry_after_seconds = 0;     // the Retry-After header of a 429 or 503; 0: none
  std::string request_id;          // the X-Request-Id header; empty: none
  // Any other headers, written as given (a console file's security headers).
  std::vector<std::pair<std::string, std::string>> headers;
  // Set when the route has no answer yet: the session parks the request
  // (long_poll.hpp) and answers it later; the fields above are unused.
  std::shared_ptr<const ParkRequest> park;
};

// A request that waits for its answer (a long-poll) instead of having one.
struct ParkRequest {
  std::string device_id;  // whose wakes end the wait early
  std::chrono::milliseconds wait{0};
  // The answer as things stand, or nullopt when there is nothing to say
  // yet. With `last` (the wait is over, or the server stops) it must answer.
  // Never throws; may block on the host briefly (any thread).
  std::function<std::optional<HttpReply>(bool last)> answer;
};

// A JSON answer.
HttpReply json_reply(int status, std::string body);
// A JSON error answer in the contract's shape.
HttpReply error_reply(int status, std::string_view code, std::string_view message);

}  // namespace vigil::http
