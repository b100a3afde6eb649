#include "examples/ea-client/signer.hpp"

#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <chrono>
#include <stdexcept>

namespace vigil::ea {
namespace {

std::string hex(const unsigned char* bytes, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 0xf];
  }
  return out;
}

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(bytes(data), data.size(), digest);
  return hex(digest, sizeof digest);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), bytes(message), message.size(), mac, &size))
    throw std::runtime_error("HMAC-SHA256 failed");
  return hex(mac, size);
}

std::string string_to_sign(std::string_view method, std::string_view path, std::string_view raw_query,
                           std::string_view timestamp, std::string_view nonce, std::string_view body) {
  std::string out;
  for (std::string_view part : {method, path, raw_query, timestamp, nonce}) {
    out.append(part);
    out += '\n';
  }
  return out + sha256_hex(body);
}

SignedHeaders sign(const Request& request, std::string_view device_id, std::string_view secret, int64_t timestamp_ms,
                   std::string_view nonce) {
  SignedHeaders out{std::string(device_id), std::to_string(timestamp_ms), std::string(nonce), ""};
  out.signature = hmac_sha256_hex(
      secret, string_to_sign(request.method, request.path, request.raw_query, out.timestamp, nonce, request.body));
  return out;
}

SignedHeaders sign_now(const Request& request, std::string_view device_id, std::string_view secret) {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(now).count();
  return sign(request, device_id, secret, ms, random_nonce());
}

std::string random_nonce() {
  unsigned char raw[16];
  if (RAND_bytes(raw, sizeof raw) != 1) throw std::runtime_error("no random bytes for a nonce");
  return hex(raw, sizeof raw);
}

}  // namespace vigil::ea
