#include "signature.hpp"

#include <sodium.h>

namespace vigil::http {
namespace {

constexpr size_t kHexDigest = 2 * crypto_hash_sha256_BYTES;

// hex(SHA-256(data)) into `out`, which holds kHexDigest + 1 characters
// (sodium_bin2hex ends the text with a NUL).
void sha256_hex_into(std::string_view data, char* out) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  sodium_bin2hex(out, kHexDigest + 1, digest, sizeof digest);
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  char hex[kHexDigest + 1];
  sha256_hex_into(data, hex);
  return std::string(hex, kHexDigest);
}

void write_string_to_sign(std::string& out, std::string_view method, std::string_view path, std::string_view query,
                          std::string_view timestamp, std::string_view nonce, std::string_view body) {
  out.clear();
  out.reserve(method.size() + path.size() + query.size() + timestamp.size() + nonce.size() + 5 + kHexDigest);
  for (std::string_view part : {method, path, query, timestamp, nonce}) {
    out.append(part);
    out += '\n';
  }
  if (body.empty()) {
    out.append(kEmptyBodySha256);
    return;
  }
  char hex[kHexDigest + 1];
  sha256_hex_into(body, hex);
  out.append(hex, kHexDigest);
}

std::string string_to_sign(std::string_view method, std::string_view path, std::string_view query,
                           std::string_view timestamp, std::string_view nonce, std::string_view body) {
  std::string out;
  write_string_to_sign(out, method, path, query, timestamp, nonce, body);
  return out;
}

}  // namespace vigil::http
