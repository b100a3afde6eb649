// Everything between a parsed request and its answer, free of the HTTP
// library: body limit, routing, 404/405, a request id for every request
// (the answer's X-Request-Id, passed to the host so that its log lines
// carry it, and in a 500's body with the details in the log), Retry-After
// on every 429 and 503, and the transport's metrics.
//
// Threading: dispatch() runs concurrently on the server's threads.
#pragma once

#include <cstddef>

#include "http_message.hpp"
#include "http_metrics.hpp"
#include "request_ids.hpp"
#include "router.hpp"
#include "vigil/cpp/host.hpp"

namespace vigil::http {

class Dispatcher {
 public:
  // All references must outlive the dispatcher.
  Dispatcher(const Router& router, HttpMetrics& metrics, sdk::Host host, size_t max_body_bytes);

  // Never throws: every request gets an answer.
  HttpReply dispatch(const HttpRequest& request) noexcept;
  // Counts a request refused before it could be routed (malformed framing
  // or headers) in the metrics, as an unmatched route.
  void count_refusal(int status) noexcept;

 private:
  HttpReply answer(const HttpRequest& request, const Router::Match& match, std::string_view id);
  HttpReply internal_error(const HttpRequest& request, std::string_view id, std::string_view details) noexcept;

  const Router& router_;
  HttpMetrics& metrics_;
  sdk::Host host_;
  size_t max_body_bytes_;
  RequestIds ids_;
};

}  // namespace vigil::http
