// The Fernet keys of one cipher-fernet instance: every configured master
// key by version, and beside each its HKDF PRK (client_key.hpp), computed
// once at create so a per-client key costs one HMAC per call. The PRKs are
// as secret as the keys and live in guarded memory too.
#pragma once

#include <cstdint>
#include <map>
#include <string_view>

#include "keyring.hpp"

namespace vigil::fernet {

class FernetKeys {
 public:
  explicit FernetKeys(keyring::Keyring keyring);

  const keyring::Keyring& keyring() const noexcept { return keyring_; }
  // Writes the Fernet key of `version` for (context, field) to out[0..31];
  // `version` must be configured.
  void key_for(uint32_t version, std::string_view context, std::string_view field, unsigned char* out) const;

 private:
  keyring::Keyring keyring_;
  std::map<uint32_t, keyring::SecretBytes> prks_;
};

}  // namespace vigil::fernet
