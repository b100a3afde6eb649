// Device authentication (CONTRACT.md section 2): headers well-formed,
// timestamp inside the window, HMAC-SHA256 signature compared in constant
// time with the device's secret (asked of the host), nonce not seen in the
// window, then the device's rate limit. Each failure is a 401 (429 for the
// rate) with its own error code.
//
// Threading: authenticate() is thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "app_client.hpp"
#include "http_message.hpp"
#include "nonce_cache.hpp"
#include "rate_limiter.hpp"

namespace vigil::http {

struct AuthOptions {
  int64_t window_ms = 30'000;  // allowed clock difference, each way
  size_t max_nonces_per_device = 8192;
  double requests_per_second = 20;  // per device
  double burst = 40;
};

class DeviceAuth {
 public:
  DeviceAuth(const AppClient& app, AuthOptions options);
  // The device id, or the error answer in `refusal`.
  std::optional<std::string> authenticate(const HttpRequest& request, int64_t now_ms, HttpReply& refusal);

 private:
  std::optional<std::string> secret_of(const std::string& device_id);

  const AppClient& app_;
  AuthOptions options_;
  NonceCache nonces_;
  RateLimiter rates_;
};

}  // namespace vigil::http
