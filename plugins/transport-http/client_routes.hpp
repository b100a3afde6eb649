// The EA API (docs/http-api.md), base /api/v1/client. Every request is
// authenticated as a device (device_auth.hpp); the device id goes to the
// host as the call's principal, and the host answers only with that
// device's own positions and commands.
//
//   GET  /poll                   client.poll
//   POST /ack                    client.ack
//   GET  /close-commands?wait=S  client.close_commands, long-polled up to S
//                                seconds (0-30, default 0) while empty
//   POST /close-ack              client.close_ack
//   POST /positions-snapshot     client.positions_snapshot: {"tickets":[...]}
//                                the EA's open broker tickets, reconciled
#pragma once

#include "app_client.hpp"
#include "device_auth.hpp"
#include "router.hpp"
#include "vigil/cpp/host.hpp"

namespace vigil::http {

// All references must outlive the router.
void add_client_routes(Router& router, const AppClient& app, DeviceAuth& auth, sdk::Host host);

}  // namespace vigil::http
