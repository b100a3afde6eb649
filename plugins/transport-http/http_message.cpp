#include "http_message.hpp"

#include <utility>

#include "json_error.hpp"

namespace vigil::http {

HttpReply json_reply(int status, std::string body) {
  HttpReply reply;
  reply.status = status;
  reply.body = std::move(body);
  return reply;
}

HttpReply error_reply(int status, std::string_view code, std::string_view message) {
  HttpReply reply;
  reply.status = status;
  reply.body = error_json(code, message);
  return reply;
}

}  // namespace vigil::http
