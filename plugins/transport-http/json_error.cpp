#include "json_error.hpp"

#include <nlohmann/json.hpp>

namespace vigil::http {

std::string error_json(std::string_view code, std::string_view message) {
  nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
  // Replace rather than throw on invalid UTF-8: an error answer must always be writable.
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string internal_error_json(std::string_view request_id) {
  nlohmann::json body = {{"error", {{"code", "internal"}, {"message", "internal error"}, {"request_id", request_id}}}};
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool is_error_json(std::string_view body) {
  nlohmann::json json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.is_object() || json.size() != 1 || !json.contains("error")) return false;
  const nlohmann::json& error = json["error"];
  return error.is_object() && error.contains("code") && error["code"].is_string() && error.contains("message") &&
         error["message"].is_string();
}

}  // namespace vigil::http
