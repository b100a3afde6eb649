#include "router.hpp"

#include <algorithm>
#include <utility>

namespace vigil::http {
namespace {

// The segments of a path ("/a/b/c": "a", "b", "c"), one at a time.
class Segments {
 public:
  explicit Segments(std::string_view path) : path_(path), start_(!path.empty() && path[0] == '/' ? 1 : 0) {}
  bool done() const { return start_ > path_.size(); }
  std::string_view next() {
    size_t end = std::min(path_.find('/', start_), path_.size());
    std::string_view segment = path_.substr(start_, end - start_);
    start_ = end + 1;
    return segment;
  }

 private:
  std::string_view path_;
  size_t start_;
};

bool is_param(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Walks both paths segment by segment; `capture` (when not null) receives
// the "{name}" segments once the whole path is known to match, so that a
// route that fails costs no allocation.
bool matches(std::string_view route, std::string_view path, std::vector<std::pair<std::string, std::string>>* capture) {
  if (route == path) return true;
  if (route.find('{') == std::string_view::npos) return false;
  Segments want(route), got(path);
  while (!want.done() && !got.done()) {
    std::string_view w = want.next(), g = got.next();
    if (is_param(w)) {
      if (g.empty()) return false;
      if (capture) capture->emplace_back(std::string(w.substr(1, w.size() - 2)), std::string(g));
    } else if (w != g) {
      return false;
    }
  }
  return want.done() && got.done();
}

}  // namespace

void Router::add(std::string method, std::string path, RouteHandler handler) {
  routes_.push_back({std::move(method), std::move(path), std::move(handler)});
}

std::vector<std::pair<std::string, std::string>> Router::routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Route& r : routes_) out.emplace_back(r.method, r.path);
  return out;
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  Match out;
  for (const Route& r : routes_) {
    if (!matches(r.path, path, nullptr)) continue;
    if (r.method == method) {
      Match found{Match::found, &r.handler, r.path, {}, {}};
      matches(r.path, path, &found.params);
      return found;
    }
    out.kind = Match::wrong_method;
    out.route = r.path;
    out.allowed.push_back(r.method);
  }
  return out;
}

}  // namespace vigil::http
