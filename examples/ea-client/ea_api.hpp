// The four EA calls of docs/http-api.md, signed, on one kept-alive
// connection. Answers come back as they are (status and JSON); deciding
// what an error means is the caller's business.
//
// Threading: one thread at a time per EaApi (it owns one HttpSession).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "examples/ea-client/http_session.hpp"

namespace vigil::ea {

struct Credentials {
  std::string device_id;
  std::string secret;  // the device_secret exactly as the server gave it
};

struct ApiAnswer {
  long status = 0;      // 0: no answer (network), see `error`
  nlohmann::json json;  // null when the body is not JSON
  std::string body;
  std::string error;

  bool ok() const { return status == 200; }
  // "status code: message" for logs, from the contract's error shape.
  std::string describe() const;
};

class EaApi {
 public:
  EaApi(std::string base_url, Credentials credentials);

  ApiAnswer poll();
  ApiAnswer ack(const nlohmann::json& body);
  // Long-polls up to `wait_s` seconds (0-30) for unfinished close commands.
  ApiAnswer close_commands(int wait_s);
  ApiAnswer close_ack(const nlohmann::json& body);

  // Any signed call: `name` under /api/v1/client, body "" for none.
  ApiAnswer call(const std::string& method, const std::string& name, const std::string& raw_query,
                 const std::string& body, long timeout_ms = 10'000);
  HttpSession& session() { return session_; }

 private:
  HttpSession session_;
  std::string prefix_;
  Credentials credentials_;
};

}  // namespace vigil::ea
