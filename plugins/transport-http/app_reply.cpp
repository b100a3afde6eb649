#include "app_reply.hpp"

#include <string>

#include "json_error.hpp"
#include "status_map.hpp"

namespace vigil::http {
namespace {

std::string internal_details(std::string_view operation, const AppAnswer& answer) {
  return "host answered " + std::string(operation) + " with status " + std::to_string(answer.status) +
         (answer.error_code.empty() ? "" : " (" + answer.error_code + ")") + ": " + answer.body;
}

}  // namespace

HttpReply reply_from(std::string_view operation, const AppAnswer& answer) {
  int status = http_status(answer.status);
  if (status == 500) throw InternalFailure(internal_details(operation, answer));
  if (answer.status == VIGIL_OK) return json_reply(200, answer.body);
  if (is_error_json(answer.body)) return json_reply(status, answer.body);
  std::string_view code = answer.error_code.empty() ? default_error_code(answer.status) : answer.error_code;
  // Plain text from the host is its sentence; any other JSON is no message for a person.
  bool sentence = !answer.body.empty() && answer.body.front() != '{' && answer.body.front() != '[';
  std::string_view message = sentence ? std::string_view(answer.body) : default_error_message(answer.status);
  return error_reply(status, code, message);
}

}  // namespace vigil::http
