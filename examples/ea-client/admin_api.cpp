#include "examples/ea-client/admin_api.hpp"

#include <stdexcept>

namespace vigil::ea {

AdminApi::AdminApi(std::string base_url, std::string token) : session_(std::move(base_url)), token_(std::move(token)) {}

ApiAnswer AdminApi::call(const std::string& method, const std::string& path, const nlohmann::json& body) {
  std::string data = body.is_null() ? "" : body.dump();
  HttpAnswer http = session_.request(method, "/api/v1/admin" + path, data, {{"Authorization", "Bearer " + token_}});
  ApiAnswer answer{http.status, nlohmann::json::parse(http.body, nullptr, false), http.body, http.error};
  if (answer.json.is_discarded()) answer.json = nullptr;
  return answer;
}

ApiAnswer AdminApi::expect(long status, const std::string& method, const std::string& path,
                           const nlohmann::json& body) {
  ApiAnswer answer = call(method, path, body);
  if (answer.status != status)
    throw std::runtime_error(method + " " + path + ": expected " + std::to_string(status) + ", got " +
                             answer.describe());
  return answer;
}

std::string AdminApi::create_client(const std::string& name) {
  return expect(201, "POST", "/clients", {{"name", name}}).json.at("client_id");
}

Credentials AdminApi::create_device(const std::string& client_id, const std::string& name) {
  nlohmann::json answer = expect(201, "POST", "/clients/" + client_id + "/devices", {{"name", name}}).json;
  return {answer.at("device_id"), answer.at("device_secret")};
}

nlohmann::json AdminApi::create_signal(const nlohmann::json& body) {
  return expect(201, "POST", "/signals", body).json;
}

nlohmann::json AdminApi::position(const std::string& position_id) {
  return expect(200, "GET", "/positions/" + position_id, nullptr).json;
}

void AdminApi::tick(const std::string& instrument, const std::string& bid, const std::string& ask) {
  expect(202, "POST", "/ticks", {{"instrument", instrument}, {"bid", bid}, {"ask", ask}});
}

long AdminApi::healthz() {
  return session_.request("GET", "/healthz", "", {}).status;
}

}  // namespace vigil::ea
