#include "admin_routes.hpp"

#include <nlohmann/json.hpp>

#include "app_reply.hpp"
#include "query_params.hpp"

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
  nlohmann::json params_json = {{"bearer", bearer_token(request.authorization)}};
  for (const auto& [name, value] : request.params) params_json[name] = value;
  // The query string goes beside, never among, the path parameters and the
  // bearer: a query cannot stand in for either.
  try {
    params_json["query"] = parse_query(request.query);
  } catch (const std::invalid_argument& e) {
    return error_reply(400, "invalid_argument", e.what());
  }
  // Bytes that are not UTF-8 become U+FFFD: the host then refuses the value.
  std::string params = params_json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  AppAnswer answer = app.call(
      {.operation = operation, .params_json = params, .body_json = request.body, .request_id = request.request_id});
  if (answer.status == VIGIL_OK) return json_reply(success, answer.body);
  HttpReply reply = reply_from(operation, answer);
  if (answer.error_code == "admin_api_closed") reply.status = 403;
  return reply;
}

}  // namespace

void add_admin_routes(Router& router, const AppClient& app) {
  struct Route {
    const char* method;
    const char* path;
    const char* operation;
    int success;
  };
  static constexpr Route kRoutes[] = {
      {"POST", "/api/v1/admin/clients", "admin.create_client", 201},
      {"POST", "/api/v1/admin/clients/{client_id}/devices", "admin.create_device", 201},
      {"POST", "/api/v1/admin/signals", "admin.create_signal", 201},
      {"GET", "/api/v1/admin/positions/{position_id}", "admin.get_position", 200},
      {"POST", "/api/v1/admin/positions/{position_id}/close", "admin.close_position", 202},
      {"GET", "/api/v1/admin/alerts", "admin.alerts", 200},
      {"GET", "/api/v1/admin/reports/slippage", "admin.slippage_report", 200},
      {"GET", "/api/v1/admin/health", "admin.health", 200},
      {"POST", "/api/v1/admin/ticks", "admin.push_tick", 202},
      {"GET", "/api/v1/admin/clients", "admin.list_clients", 200},
      {"GET", "/api/v1/admin/clients/{client_id}/devices", "admin.list_devices", 200},
      {"POST", "/api/v1/admin/devices/{device_id}/deactivate", "admin.deactivate_device", 200},
      {"GET", "/api/v1/admin/positions", "admin.list_positions", 200},
      {"GET", "/api/v1/admin/close-commands", "admin.list_close_commands", 200},
      {"GET", "/api/v1/admin/audit", "admin.audit", 200},
      {"GET", "/api/v1/admin/instruments", "admin.instruments", 200},
  };
  for (const Route& r : kRoutes)
    router.add(r.method, r.path,
               [&app, r](const HttpRequest& request) { return admin_call(app, r.operation, request, r.success); });
}

}  // namespace vigil::http
