#include "fernet_keys.hpp"

#include <cstring>

#include "client_key.hpp"
#include "fernet.hpp"

namespace vigil::fernet {

FernetKeys::FernetKeys(keyring::Keyring keyring) : keyring_(std::move(keyring)) {
  for (uint32_t version : keyring_.trial_order()) {
    keyring::SecretBytes prk(kPrkBytes);
    extract(keyring_.find(version)->data(), prk.data());
    prks_.emplace(version, std::move(prk));
  }
}

void FernetKeys::key_for(uint32_t version, std::string_view context, std::string_view field, unsigned char* out) const {
  if (context.empty())
    std::memcpy(out, keyring_.find(version)->data(), kKeyBytes);
  else
    expand(prks_.at(version).data(), context, field, out);
}

}  // namespace vigil::fernet
