// Device verification for the transports (vigil_app.verify_device): checks
// an EA request's HMAC-SHA256 signature with the device's secret inside the
// host, so the secret never crosses the ABI.
//
// From outside, an unknown device, an inactive one and a bad signature are
// the same answer (VIGIL_UNAUTHENTICATED, one message), so device ids cannot
// be probed. They also cost the same: for a device without a secret the
// HMAC is computed with a dummy secret of a real secret's length and
// compared in constant time like any other, then refused.
//
// Core links no crypto, so the HMAC is injected by the composition root;
// the secret lookup is injected too (the workflow's device_secret).
//
// Threading: verify() is thread-safe when both injected functions are.
// Errors: verify() never throws; a lookup that throws becomes
// VIGIL_UNAVAILABLE (a ComponentError saying so: the store cannot answer
// now) or VIGIL_INTERNAL (anything else, with its message for the log).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "vigil/abi.h"

namespace vigil::core {

class DeviceVerifier {
 public:
  // The secret of an active device; nullopt for an unknown or inactive one.
  using SecretLookup = std::function<std::optional<std::string>(const std::string& device_id)>;
  // Lowercase hex of HMAC-SHA256(key, message).
  using Hmac = std::function<std::string(std::string_view key, std::string_view message)>;

  struct Verdict {
    vigil_status status = VIGIL_INTERNAL;
    std::string message;  // empty when OK
  };

  // The message of every VIGIL_UNAUTHENTICATED verdict.
  static constexpr std::string_view kRefusal = "The device signature is not valid.";

  DeviceVerifier(SecretLookup secret_of, Hmac hmac_sha256_hex);

  // OK when `signature_hex` is the HMAC of `string_to_sign` keyed with the
  // secret of active device `device_id`.
  Verdict verify(std::string_view device_id, std::string_view string_to_sign,
                 std::string_view signature_hex) const noexcept;

 private:
  SecretLookup secret_of_;
  Hmac hmac_;
};

}  // namespace vigil::core
