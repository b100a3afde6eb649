// Calls into the host's application API (vigil_app.call) and collects the
// answer: the one place this plugin crosses the ABI towards the host.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vigil/app.h"

namespace vigil::http {

struct AppAnswer {
  vigil_status status = VIGIL_INTERNAL;
  std::string error_code;  // snake_case, set by the host on failure (may be empty)
  std::string body;        // the JSON answer, or on failure the host's error object
};

struct AppCall {
  std::string_view operation{};
  std::string_view principal{};  // empty: an administrator
  std::string_view params_json = "{}";
  std::string_view body_json{};
  // The HTTP request's id (RequestIds: hex digits), passed to the host as
  // params "request_id" so that its log lines carry it; empty: none.
  std::string_view request_id{};
};

// What the host said of a device's signature (vigil_app.verify_device) or
// of its nonce (vigil_app.claim_nonce).
struct DeviceVerdict {
  vigil_status status = VIGIL_INTERNAL;
  std::string message;  // the host's sentence, empty when OK
};

class AppClient {
 public:
  // Throws vigil::sdk::Error(UNSUPPORTED) when the host gives no application
  // API, or one without call or verify_device (a host older than ABI 1.2).
  explicit AppClient(const vigil_app* app);

  // Thread-safe (the host's call is). Throws when the host refuses the
  // answer's bytes or lacks `call`.
  AppAnswer call(const AppCall& request) const;
  // Thread-safe. The secret stays in the host: only the signature goes there.
  DeviceVerdict verify_device(std::string_view device_id, std::string_view string_to_sign,
                              std::string_view signature_hex) const;
  // Claims a verified request's nonce for every host sharing the store
  // (ABI 1.3). VIGIL_OK at once from a host older than 1.3 or one without
  // claim_nonce: there this transport's own nonce memory is the whole truth.
  // Thread-safe; may block on the host's store for one round trip.
  DeviceVerdict claim_nonce(std::string_view device_id, std::string_view nonce, int64_t expires_at_ms) const;
  // Long-poll support: `wake(user)` runs (quickly, on any thread) whenever
  // the device may have new close commands. 0 when the host cannot watch.
  uint64_t watch(std::string_view device_id, void (*wake)(void*), void* user) const;
  void unwatch(uint64_t token) const;

 private:
  const vigil_app* app_;
};

}  // namespace vigil::http
