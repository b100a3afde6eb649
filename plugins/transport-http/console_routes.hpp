// GET /console: the operator's console (console/ in the repository), its
// files served from memory (console_files.hpp) at /console/<path>, and
// index.html also at /console and /console/.
//
// Served only while the admin API is open: the transport does not hold the
// admin token, so each request asks the host (an admin call with no
// bearer answers "admin_api_closed" only when no token is configured);
// closed, the answer is 403 admin_api_closed as for the admin routes.
//
// Every file goes out with a strict Content-Security-Policy (scripts,
// styles, images and requests from this origin only, no inline script or
// style, no framing), X-Content-Type-Options: nosniff and its own
// Content-Type. The console reads the API with the admin token from the
// browser's sessionStorage as a Bearer header: no cookie is ever set.
#pragma once

#include "app_client.hpp"
#include "console_files.hpp"
#include "router.hpp"

namespace vigil::http {

inline constexpr std::string_view kConsoleCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// `app` and `files` must outlive the router.
void add_console_routes(Router& router, const AppClient& app, const ConsoleFiles& files);

}  // namespace vigil::http
