#include "http_message.hpp"

#include "json_error.hpp"

namespace vigil::http {

HttpReply error_reply(int status, std::string_view code, std::string_view message) {
  HttpReply reply;
  reply.status = status;
  reply.body = error_json(code, message);
  return reply;
}

}  // namespace vigil::http
