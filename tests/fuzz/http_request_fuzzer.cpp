// The transport's request path on raw bytes (plugins/transport-http):
// Boost.Beast's parser under the transport's limits, the checks every
// request passes before a route sees it (request_reader), then routing.
//
// Beyond "no crash, no sanitizer report", it checks what the transport
// promises about bad bytes: every refusal is a 4xx or 501 in the contract's
// error shape, and a request that gets through holds no more body than the
// limit and no header the routes read that is not UTF-8 text.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "plugins/transport-http/request_reader.hpp"
#include "plugins/transport-http/router.hpp"
#include "tests/fuzz/fuzz_support.hpp"
#include "vigil/cpp/utf8.hpp"

namespace {

using namespace vigil::http;

constexpr RequestLimits kLimits{1024, 2048};

const Router& routes() {
  static const Router router = [] {
    Router r;
    auto nothing = [](const HttpRequest&) { return HttpReply{}; };
    r.add("GET", "/healthz", nothing);
    r.add("GET", "/api/v1/client/close-commands", nothing);
    r.add("POST", "/api/v1/admin/positions/{position_id}/close", nothing);
    r.add("POST", "/api/v1/admin/clients/{client_id}/devices", nothing);
    return r;
  }();
  return router;
}

void check_refusal(const HttpReply& reply) {
  if (!((reply.status >= 400 && reply.status < 500) || reply.status == 501)) std::abort();
  nlohmann::json body = nlohmann::json::parse(reply.body, nullptr, false);
  if (body.is_discarded() || !body["error"]["code"].is_string() || !body["error"]["message"].is_string()) std::abort();
}

void check_request(const HttpRequest& request) {
  if (request.body.size() > kLimits.max_body_bytes) std::abort();
  for (const std::string_view* value :
       {&request.device.device_id, &request.device.timestamp, &request.device.nonce, &request.device.signature})
    if (!vigil::sdk::is_utf8(*value)) std::abort();
  if (request.path.empty() || request.path.front() != '/') std::abort();
  Router::Match match = routes().match(request.method, request.path);
  if (match.kind == Router::Match::found && match.handler == nullptr) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ReadResult result = read_request(vigil::fuzz::text(data, size), kLimits);
  if (result.refusal) {
    check_refusal(*result.refusal);
  } else if (result.complete) {
    HttpReply refusal;
    std::optional<HttpRequest> request = to_request(result.message, refusal);
    if (!request) std::abort();  // read_request already ran the same checks
    check_request(*request);
  }
  return 0;
}
