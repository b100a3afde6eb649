// Calls into the host's application API (vigil_app.call) and collects the
// answer: the one place this plugin crosses the ABI towards the host.
#pragma once

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
};

// What the host said of a device's signature (vigil_app.verify_device).
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
  // Long-poll support: `wake(user)` runs (quickly, on any thread) whenever
  // the device may have new close commands. 0 when the host cannot watch.
  uint64_t watch(std::string_view device_id, void (*wake)(void*), void* user) const;
  void unwatch(uint64_t token) const;

 private:
  const vigil_app* app_;
};

}  // namespace vigil::http
