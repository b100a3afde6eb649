#include "client_key.hpp"

#include <sodium.h>

#include <cstring>
#include <stdexcept>

namespace vigil::sodium_cipher {
namespace {

// Exactly crypto_kdf_CONTEXTBYTES (8) and
// crypto_generichash_blake2b_PERSONALBYTES (16) bytes: domain separation
// between the two uses of the master key as a BLAKE2b key.
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "VIGILCLI";
constexpr unsigned char kIdPersonal[crypto_generichash_blake2b_PERSONALBYTES] = {'v', 'i', 'g', 'i', 'l', '-', 's', 'u',
                                                                                 'b', 'k', 'e', 'y', '-', 'i', 'd', 0};

}  // namespace

uint64_t subkey_id(const unsigned char* master, std::string_view context) {
  unsigned char hash[16];
  crypto_generichash_blake2b_salt_personal(hash, sizeof hash, reinterpret_cast<const unsigned char*>(context.data()),
                                           context.size(), master, kKeyBytes, nullptr, kIdPersonal);
  uint64_t id = 0;
  for (int i = 7; i >= 0; --i) id = (id << 8) | hash[i];
  return id;
}

void client_key(const unsigned char* master, std::string_view context, unsigned char* out) {
  if (context.empty()) {
    std::memcpy(out, master, kKeyBytes);
    return;
  }
  if (crypto_kdf_derive_from_key(out, kKeyBytes, subkey_id(master, context), kKdfContext, master) != 0)
    throw std::runtime_error("cipher-sodium: key derivation failed");
}

}  // namespace vigil::sodium_cipher
