// How the host's vigil_status becomes an HTTP answer: the one mapping every
// route uses, so a status means the same thing on every path.
#pragma once

#include <string_view>

#include "vigil/abi.h"

namespace vigil::http {

// OK 200, INVALID_ARGUMENT 400, UNAUTHENTICATED 401, NOT_FOUND 404,
// CONFLICT 409, UNAVAILABLE 503, UNSUPPORTED 501, INTERNAL (and any status
// this plugin does not know) 500.
int http_status(vigil_status status) noexcept;

// The snake_case error code used when the host gave none.
std::string_view default_error_code(vigil_status status) noexcept;

// A human sentence for that status, used when the host gave no message.
std::string_view default_error_message(vigil_status status) noexcept;

}  // namespace vigil::http
