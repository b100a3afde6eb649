#include "examples/ea-client/signer.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <pthread.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace vigil::ea {
namespace {

// hex(SHA-256("")): every GET signs it.
constexpr std::string_view kEmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

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

// OpenSSL 3's one-shot HMAC() and SHA256() look their algorithm up in the
// provider store on every call (a fetch under a lock); fetched here once
// for the process, and never freed.
EVP_MD* sha256_md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr) throw std::runtime_error("OpenSSL has no SHA256");
  return md;
}

// One HMAC-SHA256 context per thread, re-keyed for each message.
class ThreadMac {
 public:
  ThreadMac() {
    static EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (mac == nullptr) throw std::runtime_error("OpenSSL has no HMAC");
    ctx_ = EVP_MAC_CTX_new(mac);
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_END};
    if (ctx_ == nullptr || EVP_MAC_CTX_set_params(ctx_, params) != 1) {
      EVP_MAC_CTX_free(ctx_);
      throw std::runtime_error("HMAC-SHA256 context failed");
    }
  }
  ~ThreadMac() { EVP_MAC_CTX_free(ctx_); }
  ThreadMac(const ThreadMac&) = delete;
  ThreadMac& operator=(const ThreadMac&) = delete;

  std::string sign_hex(std::string_view key, std::string_view message) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    size_t size = 0;
    if (EVP_MAC_init(ctx_, bytes(key), key.size(), nullptr) != 1 ||
        EVP_MAC_update(ctx_, bytes(message), message.size()) != 1 || EVP_MAC_final(ctx_, mac, &size, sizeof mac) != 1)
      throw std::runtime_error("HMAC-SHA256 failed");
    return hex(mac, size);
  }

 private:
  EVP_MAC_CTX* ctx_ = nullptr;
};

// Incremented in every child after fork(), so that a child never hands
// out the random bytes its parent may hand out too.
std::atomic<unsigned> forks{0};

// Random bytes drawn from OpenSSL's generator 512 at a time and handed out
// in pieces: a call costs more than a microsecond, nearly all of it per
// call rather than per byte, and every request needs 16 bytes.
class RandomPool {
 public:
  RandomPool() {
    static const bool watching = pthread_atfork(nullptr, nullptr, [] { forks.fetch_add(1); }) == 0;
    if (!watching) throw std::runtime_error("pthread_atfork failed");
  }
  void take(unsigned char* out, size_t size) {
    if (used_ + size > sizeof bytes_ || generation_ != forks.load()) refill();
    std::memcpy(out, bytes_ + used_, size);
    used_ += size;
  }

 private:
  void refill() {
    generation_ = forks.load();
    if (RAND_bytes(bytes_, sizeof bytes_) != 1) throw std::runtime_error("no random bytes for a nonce");
    used_ = 0;
  }
  unsigned char bytes_[512];
  size_t used_ = sizeof bytes_;
  unsigned generation_ = 0;
};

}  // namespace

std::string sha256_hex(std::string_view data) {
  if (data.empty()) return std::string(kEmptySha256);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &size, sha256_md(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  return hex(digest, size);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  thread_local ThreadMac mac;
  return mac.sign_hex(key, message);
}

std::string string_to_sign(std::string_view method, std::string_view path, std::string_view raw_query,
                           std::string_view timestamp, std::string_view nonce, std::string_view body) {
  std::string out;
  out.reserve(method.size() + path.size() + raw_query.size() + timestamp.size() + nonce.size() + 5 +
              kEmptySha256.size());
  for (std::string_view part : {method, path, raw_query, timestamp, nonce}) {
    out.append(part);
    out += '\n';
  }
  out += sha256_hex(body);
  return out;
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
  thread_local RandomPool pool;
  pool.take(raw, sizeof raw);
  return hex(raw, sizeof raw);
}

}  // namespace vigil::ea
