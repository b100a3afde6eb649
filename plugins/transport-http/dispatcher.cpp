#include "dispatcher.hpp"

#include <exception>
#include <string>

#include "json_error.hpp"

namespace vigil::http {
namespace {

// Ids in paths are the server's own (at most 128 characters, as in the
// schemas): anything longer is refused before a route or the host sees it.
constexpr size_t kMaxPathParamBytes = 128;
// How much of a path an error message repeats: enough to recognise it.
constexpr size_t kMaxEchoedPath = 200;

std::string echo(std::string_view path) {
  if (path.size() <= kMaxEchoedPath) return std::string(path);
  return std::string(path.substr(0, kMaxEchoedPath)) + "...";
}

}  // namespace

Dispatcher::Dispatcher(const Router& router, HttpMetrics& metrics, sdk::Host host, size_t max_body_bytes)
    : router_(router), metrics_(metrics), host_(host), max_body_bytes_(max_body_bytes) {}

HttpReply Dispatcher::dispatch(const HttpRequest& request) noexcept {
  int64_t started = host_.monotonic_ns();
  Router::Match match;
  HttpReply reply;
  std::string id;
  try {
    id = ids_.next();
    match = router_.match(request.method, request.path);
    reply = answer(request, match, id);
  } catch (const std::exception& e) {
    reply = internal_error(request, id, e.what());
  } catch (...) {
    reply = internal_error(request, id, "unknown exception");
  }
  // A parked reply's later answer carries the id itself (its route set it).
  if (!reply.park) reply.request_id = std::move(id);
  // A client told to come back later is told when.
  if ((reply.status == 429 || reply.status == 503) && reply.retry_after_seconds <= 0) reply.retry_after_seconds = 1;
  try {
    std::string_view route = match.route.empty() ? kUnmatchedRoute : match.route;
    metrics_.record(route, request.method, reply.status, static_cast<double>(host_.monotonic_ns() - started) / 1e9);
  } catch (...) {
    // Metrics are best effort: losing one sample must not lose the answer.
  }
  return reply;
}

void Dispatcher::count_refusal(int status) noexcept {
  try {
    metrics_.record(kUnmatchedRoute, kRefusedMethod, status, 0);
  } catch (...) {
    // Metrics are best effort.
  }
}

HttpReply Dispatcher::answer(const HttpRequest& request, const Router::Match& match, std::string_view id) {
  // The body limit comes first: an oversized body is refused whatever its path.
  if (request.body.size() > max_body_bytes_)
    return error_reply(413, "body_too_large",
                       "The request body is larger than " + std::to_string(max_body_bytes_) + " bytes.");
  if (match.kind == Router::Match::no_route)
    return error_reply(404, "not_found", "There is nothing at " + echo(request.path) + ".");
  if (match.kind == Router::Match::wrong_method) {
    HttpReply reply = error_reply(405, "method_not_allowed",
                                  echo(request.path) + " does not take " + std::string(request.method) + ".");
    reply.allow = match.allowed;
    return reply;
  }
  for (const auto& [name, value] : match.params) {
    if (value.size() > kMaxPathParamBytes)
      return error_reply(400, "invalid_argument",
                         name + ": at most " + std::to_string(kMaxPathParamBytes) + " characters.");
  }
  HttpRequest routed = request;
  routed.params = match.params;
  routed.request_id = id;
  return (*match.handler)(routed);
}

HttpReply Dispatcher::internal_error(const HttpRequest& request, std::string_view id,
                                     std::string_view details) noexcept {
  try {
    host_.error("request " + std::string(id) + " (" + std::string(request.method) + " " + std::string(request.path) +
                ") failed: " + std::string(details));
    HttpReply reply;
    reply.status = 500;
    reply.body = internal_error_json(id);
    return reply;
  } catch (...) {
    // Reporting failed (out of memory): still answer, without an id.
    return json_reply(500, R"({"error":{"code":"internal","message":"internal error"}})");
  }
}

}  // namespace vigil::http
