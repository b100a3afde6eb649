// The operational routes: GET /healthz, GET /metrics and the API's own
// description, GET /api/v1/openapi.yaml.
#pragma once

#include "app_client.hpp"
#include "http_metrics.hpp"
#include "router.hpp"

namespace vigil::http {

// Adds the three routes. `app` and `metrics` must outlive the router.
//   /healthz  the host's "system.health" JSON; 200 when healthy, 503 when
//             the host says VIGIL_UNAVAILABLE (the body still explains why).
//   /metrics  the host's "system.metrics" Prometheus text, then this
//             transport's own metrics.
//   /api/v1/openapi.yaml  schemas/api/openapi.yaml as this build was made
//             with it (compiled in), application/yaml.
void add_system_routes(Router& router, const AppClient& app, const HttpMetrics& metrics);

}  // namespace vigil::http
