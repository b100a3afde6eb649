// The admin API (docs/http-api.md), behind `Authorization: Bearer`.
// The transport never holds the admin token: it passes the bearer it got to
// the host, which checks it (in constant time) on every admin operation.
//
//   POST /api/v1/admin/clients                         admin.create_client; 201
//   POST /api/v1/admin/clients/{client_id}/devices     admin.create_device; 201
//   POST /api/v1/admin/signals                         admin.create_signal; 201
//   GET  /api/v1/admin/positions/{position_id}         admin.get_position
//   POST /api/v1/admin/positions/{position_id}/close   admin.close_position; 202
//   GET  /api/v1/admin/alerts                          admin.alerts
//   GET  /api/v1/admin/reports/slippage                admin.slippage_report
//   POST /api/v1/admin/ticks   "admin.push_tick": a price pushed in by hand or
//                              by a bridge, handled like any feed's tick; 202
// The operator's lists, cursor-paged (?cursor=&limit=), and deactivation:
//   GET  /api/v1/admin/clients                         admin.list_clients
//   GET  /api/v1/admin/clients/{client_id}/devices     admin.list_devices
//   POST /api/v1/admin/devices/{device_id}/deactivate  admin.deactivate_device
//   GET  /api/v1/admin/positions                       admin.list_positions
//   GET  /api/v1/admin/close-commands                  admin.list_close_commands
//   GET  /api/v1/admin/audit                           admin.audit
//   GET  /api/v1/admin/instruments                     admin.instruments
// Path parameters go to the host in the call's params, beside the bearer;
// the query string's parameters as the object "query" (a malformed query
// string is answered 400 here, naming the parameter).
//
// A host with no admin token configured answers "admin_api_closed": 403.
#pragma once

#include "app_client.hpp"
#include "router.hpp"

namespace vigil::http {

// `app` must outlive the router.
void add_admin_routes(Router& router, const AppClient& app);

}  // namespace vigil::http
