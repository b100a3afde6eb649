#include "client_key.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "fernet.hpp"
#include "secret_bytes.hpp"

namespace vigil::fernet {
namespace {

void append_be32(std::string& out, size_t value) {
  if (value > UINT32_MAX) throw std::invalid_argument("cipher-fernet: context or field longer than 4 GiB");
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((value >> shift) & 0xff));
}

void hmac_sha256(const unsigned char* key, size_t key_size, std::string_view data, unsigned char* out) {
  unsigned int size = 0;
  if (!HMAC(EVP_sha256(), key, static_cast<int>(key_size), reinterpret_cast<const unsigned char*>(data.data()),
            data.size(), out, &size) ||
      size != kPrkBytes)
    throw std::runtime_error("cipher-fernet: HMAC-SHA256 failed in key derivation");
}

}  // namespace

std::string derivation_info(std::string_view context, std::string_view field) {
  std::string info("vigil-fernet-v1");
  info.push_back('\0');
  append_be32(info, context.size());
  info.append(context);
  append_be32(info, field.size());
  info.append(field);
  return info;
}

void extract(const unsigned char* master, unsigned char* prk) {
  const unsigned char no_salt[kPrkBytes] = {};  // RFC 5869: HashLen zero bytes
  hmac_sha256(no_salt, sizeof no_salt, std::string_view(reinterpret_cast<const char*>(master), kKeyBytes), prk);
}

void expand(const unsigned char* prk, std::string_view context, std::string_view field, unsigned char* out) {
  // One block of output (T(1)) is exactly the 32 bytes a Fernet key needs.
  std::string block = derivation_info(context, field);
  block.push_back('\x01');
  hmac_sha256(prk, kPrkBytes, block, out);
}

void client_key(const unsigned char* master, std::string_view context, std::string_view field, unsigned char* out) {
  if (context.empty()) {
    std::memcpy(out, master, kKeyBytes);
    return;
  }
  keyring::WipedKey<kPrkBytes> prk;
  extract(master, prk.data());
  expand(prk.data(), context, field, out);
}

}  // namespace vigil::fernet
