// The error bodies of docs/http-api.md "Errors":
//   {"error":{"code":"<snake_case>","message":"<human sentence>"}}
// and, for 500s, a request id instead of any internals.
#pragma once

#include <string>
#include <string_view>

namespace vigil::http {

std::string error_json(std::string_view code, std::string_view message);

// The only body a 500 ever carries; the details go to the log under `request_id`.
std::string internal_error_json(std::string_view request_id);

// True when `body` already is {"error":{"code":string,"message":string}},
// so an error written by the host can be passed on as it is.
bool is_error_json(std::string_view body);

}  // namespace vigil::http
