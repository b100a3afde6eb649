#include "router.hpp"

#include <utility>

namespace vigil::http {
namespace {

// Splits "/a/b/c" into {"a","b","c"}.
std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = path.empty() || path[0] != '/' ? 0 : 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool matches(std::string_view route, std::string_view path, std::vector<std::pair<std::string, std::string>>& params) {
  if (route == path) return true;
  if (route.find('{') == std::string_view::npos) return false;
  std::vector<std::string_view> want = segments(route), got = segments(path);
  if (want.size() != got.size()) return false;
  std::vector<std::pair<std::string, std::string>> captured;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i].size() > 2 && want[i].front() == '{' && want[i].back() == '}') {
      if (got[i].empty()) return false;
      captured.emplace_back(std::string(want[i].substr(1, want[i].size() - 2)), std::string(got[i]));
    } else if (want[i] != got[i]) {
      return false;
    }
  }
  params = std::move(captured);
  return true;
}

}  // namespace

void Router::add(std::string method, std::string path, RouteHandler handler) {
  routes_.push_back({std::move(method), std::move(path), std::move(handler)});
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  Match out;
  for (const Route& r : routes_) {
    std::vector<std::pair<std::string, std::string>> params;
    if (!matches(r.path, path, params)) continue;
    if (r.method == method) return {Match::found, &r.handler, r.path, {}, std::move(params)};
    out.kind = Match::wrong_method;
    out.route = r.path;
    out.allowed.push_back(r.method);
  }
  return out;
}

}  // namespace vigil::http
