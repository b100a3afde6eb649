#include "status_map.hpp"

namespace vigil::http {
namespace {

struct Row {
  int http;
  std::string_view code;
  std::string_view message;
};

Row row(vigil_status status) noexcept {
  switch (status) {
    case VIGIL_OK:
      return {200, "", ""};
    case VIGIL_INVALID_ARGUMENT:
      return {400, "invalid_argument", "The request is not valid."};
    case VIGIL_UNAUTHENTICATED:
      return {401, "unauthenticated", "The request could not be authenticated."};
    case VIGIL_NOT_FOUND:
      return {404, "not_found", "Nothing was found there."};
    case VIGIL_CONFLICT:
      return {409, "conflict", "The request conflicts with the current state."};
    case VIGIL_UNAVAILABLE:
      return {503, "unavailable", "The service is unavailable; try again later."};
    case VIGIL_UNSUPPORTED:
      return {501, "unsupported", "This server does not support that operation."};
    default:
      return {500, "internal", "internal error"};
  }
}

}  // namespace

int http_status(vigil_status status) noexcept {
  return row(status).http;
}

std::string_view default_error_code(vigil_status status) noexcept {
  return row(status).code;
}

std::string_view default_error_message(vigil_status status) noexcept {
  return row(status).message;
}

}  // namespace vigil::http
