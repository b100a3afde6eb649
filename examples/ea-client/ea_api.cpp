#include "examples/ea-client/ea_api.hpp"

#include "examples/ea-client/signer.hpp"

namespace vigil::ea {

std::string ApiAnswer::describe() const {
  if (status == 0) return "no answer: " + error;
  if (json.is_object() && json.contains("error") && json["error"].is_object())
    return std::to_string(status) + " " + json["error"].value("code", "") + ": " + json["error"].value("message", "");
  return std::to_string(status) + " " + body;
}

EaApi::EaApi(std::string base_url, Credentials credentials)
    : session_(std::move(base_url)),
      prefix_(url_path_prefix(session_.base_url())),
      credentials_(std::move(credentials)) {}

ApiAnswer EaApi::call(const std::string& method, const std::string& name, const std::string& raw_query,
                      const std::string& body, long timeout_ms) {
  std::string path = prefix_ + "/api/v1/client/" + name;
  SignedHeaders signed_headers = sign_now({method, path, raw_query, body}, credentials_.device_id, credentials_.secret);
  HeaderList headers = {{"X-Device-Id", signed_headers.device_id},
                        {"X-Timestamp", signed_headers.timestamp},
                        {"X-Nonce", signed_headers.nonce},
                        {"X-Signature", signed_headers.signature}};
  std::string target = "/api/v1/client/" + name + (raw_query.empty() ? "" : "?" + raw_query);
  HttpAnswer http = session_.request(method, target, body, headers, timeout_ms);
  ApiAnswer answer{http.status, nlohmann::json::parse(http.body, nullptr, false), http.body, http.error};
  if (answer.json.is_discarded()) answer.json = nullptr;
  return answer;
}

ApiAnswer EaApi::poll() {
  return call("GET", "poll", "", "");
}

ApiAnswer EaApi::ack(const nlohmann::json& body) {
  return call("POST", "ack", "", body.dump());
}

ApiAnswer EaApi::close_commands(int wait_s) {
  // The server holds the request up to wait_s; allow for that plus a margin.
  return call("GET", "close-commands", "wait=" + std::to_string(wait_s), "", wait_s * 1000L + 10'000);
}

ApiAnswer EaApi::close_ack(const nlohmann::json& body) {
  return call("POST", "close-ack", "", body.dump());
}

}  // namespace vigil::ea
