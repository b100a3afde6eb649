// Vigil C++ SDK — ciphers. See cipher.h for the model.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vigil/cipher.h"
#include "vigil/cpp/host.hpp"

namespace vigil::sdk {

struct CipherInfo {
  std::string algorithm;
  uint32_t key_bytes = 0;
  uint32_t current_key_version = 0;
};

class Cipher {
 public:
  virtual ~Cipher() = default;
  virtual CipherInfo info() const = 0;
  virtual std::string encrypt(std::string_view context, std::string_view field, std::string_view plaintext) = 0;
  // Throw Error(VIGIL_UNAUTHENTICATED, ...) for a token that is not authentic.
  virtual std::string decrypt(std::string_view context, std::string_view field, std::string_view token) = 0;
  virtual uint32_t token_key_version(std::string_view token) = 0;
};

}  // namespace vigil::sdk
