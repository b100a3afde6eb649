#include "signature.hpp"

#include <sodium.h>

namespace vigil::http {
namespace {

std::string hex(const unsigned char* bytes, size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, size);
  out.pop_back();
  return out;
}

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, bytes(data), data.size());
  return hex(digest, sizeof digest);
}

std::string string_to_sign(std::string_view method, std::string_view path, std::string_view query,
                           std::string_view timestamp, std::string_view nonce, std::string_view body) {
  std::string out;
  for (std::string_view part : {method, path, query, timestamp, nonce}) {
    out.append(part);
    out += '\n';
  }
  return out + sha256_hex(body);
}

}  // namespace vigil::http
