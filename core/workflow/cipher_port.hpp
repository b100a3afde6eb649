// Core's side of the cipher ABI: secrets and payloads are encrypted with the
// client's key (context = client id) and bound to what they are (field).
#pragma once

#include <string>
#include <string_view>

#include "core/plugins/component.hpp"
#include "vigil/cipher.h"

namespace vigil::core {

class CipherPort {
 public:
  explicit CipherPort(const Component<vigil_cipher_vtable>& cipher) : cipher_(cipher) {}
  // Throw ComponentError (decrypt: VIGIL_UNAUTHENTICATED for a bad token).
  std::string encrypt(std::string_view client_id, std::string_view field, std::string_view plaintext) const;
  std::string decrypt(std::string_view client_id, std::string_view field, std::string_view token) const;
  // The key version a token was made with, and the one new tokens get.
  uint32_t key_version(std::string_view token) const;
  uint32_t current_key_version() const;

 private:
  const Component<vigil_cipher_vtable>& cipher_;
};

}  // namespace vigil::core
