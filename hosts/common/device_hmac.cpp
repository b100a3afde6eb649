#include "hosts/common/device_hmac.hpp"

#include <sodium.h>

namespace vigil::host {

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  // The init/update/final form takes a key of any length; the one-shot
  // crypto_auth_hmacsha256 wants exactly 32 bytes.
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  sodium_memzero(&state, sizeof state);  // it holds the key's pads
  std::string hex(2 * sizeof mac + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), mac, sizeof mac);
  hex.pop_back();
  return hex;
}

}  // namespace vigil::host
