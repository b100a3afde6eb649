#include "core/app/device_verifier.hpp"

#include "core/plugins/component.hpp"

namespace vigil::core {
namespace {

// Stands in for the secret of a device that has none, so that refusing it
// costs one HMAC like any other request. Its length is a real secret's (32
// random bytes as hex); a signature made with it is refused all the same.
constexpr std::string_view kDummySecret = "0000000000000000000000000000000000000000000000000000000000000000";

// Runs over the whole of `expected` whatever `given` holds, so the time
// says nothing of where they differ. `volatile` keeps the compiler from
// turning the loop into an early exit.
bool same_in_constant_time(std::string_view expected, std::string_view given) {
  volatile unsigned char differ = expected.size() == given.size() ? 0 : 1;
  for (size_t i = 0; i < expected.size(); ++i)
    differ = differ | static_cast<unsigned char>(expected[i] ^ (i < given.size() ? given[i] : 0));
  return differ == 0;
}

}  // namespace

DeviceVerifier::DeviceVerifier(SecretLookup secret_of, Hmac hmac_sha256_hex)
    : secret_of_(std::move(secret_of)), hmac_(std::move(hmac_sha256_hex)) {}

DeviceVerifier::Verdict DeviceVerifier::verify(std::string_view device_id, std::string_view string_to_sign,
                                               std::string_view signature_hex) const noexcept {
  try {
    std::optional<std::string> secret = secret_of_(std::string(device_id));
    std::string expected = hmac_(secret ? std::string_view(*secret) : kDummySecret, string_to_sign);
    bool match = same_in_constant_time(expected, signature_hex);
    if (secret && match) return {VIGIL_OK, ""};
    return {VIGIL_UNAUTHENTICATED, std::string(kRefusal)};
  } catch (const ComponentError& e) {
    if (e.status() == VIGIL_UNAVAILABLE)
      return {VIGIL_UNAVAILABLE, "The device store cannot answer now; retry shortly."};
    return {VIGIL_INTERNAL, e.what()};
  } catch (const std::exception& e) {
    return {VIGIL_INTERNAL, e.what()};
  } catch (...) {
    return {VIGIL_INTERNAL, "device verification failed"};
  }
}

}  // namespace vigil::core
