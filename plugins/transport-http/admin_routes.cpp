#include "admin_routes.hpp"

#include <nlohmann/json.hpp>

#include "app_reply.hpp"

namespace vigil::http {
namespace {

// The token of "Bearer <token>" (scheme case-insensitive), or "".
std::string bearer_token(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size()) return {};
  for (size_t i = 0; i < kScheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i]) return {};
  return std::string(authorization.substr(kScheme.size()));
}

// Runs an admin operation; `success` is the HTTP status of a VIGIL_OK answer.
HttpReply admin_call(const AppClient& app, std::string_view operation, const HttpRequest& request, int success) {
  std::string params = nlohmann::json{{"bearer", bearer_token(request.authorization)}}.dump();
  AppAnswer answer = app.call({.operation = operation, .params_json = params, .body_json = request.body});
  if (answer.status == VIGIL_OK) return HttpReply{success, std::string(kJson), answer.body, {}};
  HttpReply reply = reply_from(operation, answer);
  if (answer.error_code == "admin_api_closed") reply.status = 403;
  return reply;
}

}  // namespace

void add_admin_routes(Router& router, const AppClient& app) {
  router.add("POST", "/api/v1/admin/ticks",
             [&app](const HttpRequest& request) { return admin_call(app, "admin.push_tick", request, 202); });
}

}  // namespace vigil::http
