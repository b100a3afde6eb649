// A request and its answer as the routes see them: plain data, no Pistache,
// so that routing and answering can be tested without a socket.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vigil::http {

inline constexpr std::string_view kJson = "application/json";
inline constexpr std::string_view kPrometheusText = "text/plain; version=0.0.4";

struct HttpRequest {
  std::string_view method;  // "GET", "POST", ...
  std::string_view path;    // without the query
  std::string_view body;
  std::string_view authorization;  // the Authorization header, empty when absent
};

struct HttpReply {
  int status = 200;
  std::string content_type{kJson};
  std::string body;
  std::vector<std::string> allow;  // methods for the Allow header of a 405
};

// A JSON error answer in the contract's shape.
HttpReply error_reply(int status, std::string_view code, std::string_view message);

}  // namespace vigil::http
