// The operator's side of docs/http-api.md, for tests and benchmarks
// that set up clients, devices and signals on a real server and push ticks.
//
// Threading: one thread at a time per AdminApi.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "examples/ea-client/ea_api.hpp"

namespace vigil::ea {

class AdminApi {
 public:
  AdminApi(std::string base_url, std::string token);

  // Any admin call: `path` under /api/v1/admin; a null body sends none.
  ApiAnswer call(const std::string& method, const std::string& path, const nlohmann::json& body = nullptr);

  // The helpers below throw std::runtime_error unless the contract's status comes back.
  std::string create_client(const std::string& name);
  Credentials create_device(const std::string& client_id, const std::string& name);
  nlohmann::json create_signal(const nlohmann::json& body);  // the 201 answer
  nlohmann::json position(const std::string& position_id);
  void tick(const std::string& instrument, const std::string& bid, const std::string& ask);
  // GET /healthz, unsigned and unauthenticated: the benchmarks' baseline.
  long healthz();

 private:
  ApiAnswer expect(long status, const std::string& method, const std::string& path, const nlohmann::json& body);
  HttpSession session_;
  std::string token_;
};

}  // namespace vigil::ea
