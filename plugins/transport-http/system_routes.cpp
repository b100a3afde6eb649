#include "system_routes.hpp"

#include "app_reply.hpp"
#include "openapi_yaml.hpp"
#include "status_map.hpp"

namespace vigil::http {
namespace {

HttpReply health(const AppClient& app, const HttpRequest& request) {
  AppAnswer answer = app.call({.operation = "system.health", .request_id = request.request_id});
  // A degraded host still answers with its health document: monitors read the
  // status, people read the body.
  if (answer.status == VIGIL_UNAVAILABLE && !answer.body.empty())
    return json_reply(http_status(answer.status), answer.body);
  return reply_from("system.health", answer);
}

HttpReply metrics_text(const AppClient& app, const HttpMetrics& metrics, const HttpRequest& request) {
  AppAnswer answer = app.call({.operation = "system.metrics", .request_id = request.request_id});
  if (answer.status != VIGIL_OK) return reply_from("system.metrics", answer);
  std::string body = std::move(answer.body);
  if (!body.empty() && body.back() != '\n') body += '\n';
  body += metrics.render();
  HttpReply reply = json_reply(200, std::move(body));
  reply.content_type = kPrometheusText;
  return reply;
}

}  // namespace

void add_system_routes(Router& router, const AppClient& app, const HttpMetrics& metrics) {
  router.add("GET", "/healthz", [&app](const HttpRequest& request) { return health(app, request); });
  router.add("GET", "/api/v1/openapi.yaml", [](const HttpRequest&) {
    HttpReply reply = json_reply(200, std::string(kOpenApiYaml));
    reply.content_type = "application/yaml";
    return reply;
  });
  router.add("GET", "/metrics",
             [&app, &metrics](const HttpRequest& request) { return metrics_text(app, metrics, request); });
}

}  // namespace vigil::http
