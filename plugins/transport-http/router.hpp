// Path routing: which handler answers a method on a path, or why none does
// (404 for an unknown path, 405 for a known path with the wrong method). A
// route segment "{name}" matches any one non-empty segment and captures it.
//
// Threading: routes are added before serving starts; match() is then called
// concurrently from the server's threads and only reads.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http_message.hpp"

namespace vigil::http {

using RouteHandler = std::function<HttpReply(const HttpRequest&)>;

class Router {
 public:
  void add(std::string method, std::string path, RouteHandler handler);

  struct Match {
    enum Kind { found, no_route, wrong_method } kind = no_route;
    const RouteHandler* handler = nullptr;                    // when found
    std::string_view route;                                   // the path as registered; empty for no_route
    std::vector<std::string> allowed;                         // when wrong_method: the methods the path takes
    std::vector<std::pair<std::string, std::string>> params;  // "{name}" segments of the route
  };
  Match match(std::string_view method, std::string_view path) const;

  // Every route as registered, (method, path), in the order added: what the
  // OpenAPI document must describe (tests/transport-http).
  std::vector<std::pair<std::string, std::string>> routes() const;

 private:
  struct Route {
    std::string method, path;
    RouteHandler handler;
  };
  std::vector<Route> routes_;  // few routes: a linear scan beats a map here
};

}  // namespace vigil::http
