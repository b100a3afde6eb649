// Device authentication (docs/http-api.md): headers well-formed,
// timestamp inside the window, the signature checked by the host
// (vigil_app.verify_device: this plugin builds string_to_sign, hashing the
// body, and never sees a device secret), nonce not seen in the window, then
// the device's rate limit, then the nonce claimed for every host sharing
// the store (vigil_app.claim_nonce, ABI 1.3: a request replayed to another
// host of a cluster is refused there too). Each failure is a 401 (429 for
// nonces and rate, 503 when the host cannot check now) with its own error
// code, except that an unknown device, an inactive one and a bad signature
// are one answer (401 "unauthenticated"), so device ids cannot be probed.
// Nonces and rate buckets are kept only for devices whose signature the
// host accepted, so requests naming made-up ids leave no state behind.
//
// Threading: authenticate() is thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

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
  // The device id (viewing the request's X-Device-Id), or the error answer
  // in `refusal`. Throws InternalFailure when the host fails to verify or
  // to claim the nonce (a 500 for the dispatcher, which logs it). Blocks for
  // claim_nonce: one store round trip on a host of a cluster.
  std::optional<std::string_view> authenticate(const HttpRequest& request, int64_t now_ms, HttpReply& refusal);

 private:
  // The host's claim of the nonce as a refusal, or nullopt when claimed.
  std::optional<HttpReply> claim_for_cluster(const DeviceHeaders& h, int64_t timestamp) const;

  const AppClient& app_;
  AuthOptions options_;
  NonceCache nonces_;
  RateLimiter rates_;
};

}  // namespace vigil::http
