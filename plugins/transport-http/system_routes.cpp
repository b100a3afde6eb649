#include "system_routes.hpp"

#include "app_reply.hpp"
#include "status_map.hpp"

namespace vigil::http {
namespace {

HttpReply health(const AppClient& app) {
  AppAnswer answer = app.call({.operation = "system.health"});
  // A degraded host still answers with its health document: monitors read the
  // status, people read the body.
  if (answer.status == VIGIL_UNAVAILABLE && !answer.body.empty())
    return json_reply(http_status(answer.status), answer.body);
  return reply_from("system.health", answer);
}

HttpReply metrics_text(const AppClient& app, const HttpMetrics& metrics) {
  AppAnswer answer = app.call({.operation = "system.metrics"});
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
  router.add("GET", "/healthz", [&app](const HttpRequest&) { return health(app); });
  router.add("GET", "/metrics", [&app, &metrics](const HttpRequest&) { return metrics_text(app, metrics); });
}

}  // namespace vigil::http
