#include "router.hpp"

#include <utility>

namespace vigil::http {

void Router::add(std::string method, std::string path, RouteHandler handler) {
  routes_.push_back({std::move(method), std::move(path), std::move(handler)});
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  Match out;
  for (const Route& r : routes_) {
    if (r.path != path) continue;
    if (r.method == method) return {Match::found, &r.handler, r.path, {}};
    out.kind = Match::wrong_method;
    out.route = r.path;
    out.allowed.push_back(r.method);
  }
  return out;
}

}  // namespace vigil::http
