#include "fernet.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <memory>

#include "base64url.hpp"

namespace vigil::fernet {
namespace {

constexpr unsigned char kVersion = 0x80;
constexpr size_t kHeaderBytes = 1 + 8 + kIvBytes;  // version, timestamp, IV
constexpr size_t kBlockBytes = 16;
constexpr size_t kHmacBytes = 32;
constexpr size_t kHalfKey = kKeyBytes / 2;
constexpr auto kPadding = base64url::Padding::required;  // as the spec writes tokens

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

[[noreturn]] void fail(FernetError::Kind kind, const std::string& why) {
  throw FernetError(kind, "cipher-fernet: " + why);
}

std::string hmac(Key key, std::string_view data) {
  unsigned char mac[kHmacBytes];
  unsigned int size = 0;
  if (!HMAC(EVP_sha256(), key.data(), kHalfKey, bytes(data), data.size(), mac, &size) || size != kHmacBytes)
    throw std::runtime_error("cipher-fernet: HMAC-SHA256 failed");
  return std::string(reinterpret_cast<const char*>(mac), kHmacBytes);
}

// AES-128-CBC with PKCS#7 padding in either direction. False when the
// padding of a decrypted text is wrong.
bool aes_cbc(bool encrypt, Key key, const unsigned char* iv, std::string_view in, std::string& out) {
  CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  const unsigned char* aes_key = key.data() + kHalfKey;
  if (!ctx || !EVP_CipherInit_ex(ctx.get(), EVP_aes_128_cbc(), nullptr, aes_key, iv, encrypt ? 1 : 0))
    throw std::runtime_error("cipher-fernet: AES-128-CBC is unavailable");
  out.resize(in.size() + kBlockBytes);
  int first = 0, last = 0;
  auto* dst = reinterpret_cast<unsigned char*>(out.data());
  if (!EVP_CipherUpdate(ctx.get(), dst, &first, bytes(in), static_cast<int>(in.size())))
    throw std::runtime_error("cipher-fernet: AES-128-CBC failed");
  bool ok = EVP_CipherFinal_ex(ctx.get(), dst + first, &last) == 1;
  out.resize(ok ? static_cast<size_t>(first + last) : 0);
  return ok;
}

void append_be64(std::string& out, uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((value >> shift) & 0xff));
}

uint64_t read_be64(const std::string& in, size_t at) {
  uint64_t value = 0;
  for (size_t i = 0; i < 8; ++i) value = (value << 8) | static_cast<unsigned char>(in[at + i]);
  return value;
}

void check_time(uint64_t timestamp, int64_t now, uint64_t ttl_seconds) {
  uint64_t clock = static_cast<uint64_t>(std::max<int64_t>(now, 0));
  if (timestamp > clock + kMaxClockSkewSeconds)
    fail(FernetError::Kind::future, "token is stamped " + std::to_string(timestamp - clock) +
                                        " s ahead of this host's clock (at most " +
                                        std::to_string(kMaxClockSkewSeconds) + " s allowed)");
  if (ttl_seconds > 0 && timestamp < clock && clock - timestamp > ttl_seconds)
    fail(FernetError::Kind::expired, "token expired: made " + std::to_string(clock - timestamp) +
                                         " s ago, the TTL is " + std::to_string(ttl_seconds) + " s");
}

}  // namespace

std::string encrypt(Key key, std::string_view plaintext, uint64_t now, Iv iv) {
  std::string token(1, static_cast<char>(kVersion));
  append_be64(token, now);
  token.append(reinterpret_cast<const char*>(iv.data()), kIvBytes);
  std::string ciphertext;
  aes_cbc(true, key, iv.data(), plaintext, ciphertext);
  token += ciphertext;
  token += hmac(key, token);
  return base64url::encode(token, kPadding);
}

Token parse(std::string_view text) {
  // Strict decoding (see base64url.hpp): one token has exactly one text.
  std::optional<std::string> decoded = base64url::decode(text, kPadding);
  if (!decoded) fail(FernetError::Kind::malformed, "not a Fernet token: not URL-safe base64 with padding");
  Token token;
  token.bytes = std::move(*decoded);
  size_t size = token.bytes.size();
  if (size < kHeaderBytes + kBlockBytes + kHmacBytes)
    fail(FernetError::Kind::malformed, "not a Fernet token: too short (" + std::to_string(size) + " bytes)");
  if (static_cast<unsigned char>(token.bytes[0]) != kVersion)
    fail(FernetError::Kind::malformed, "not a Fernet token: unknown version byte (expected 0x80)");
  if ((size - kHeaderBytes - kHmacBytes) % kBlockBytes != 0)
    fail(FernetError::Kind::malformed, "not a Fernet token: the ciphertext is not a whole number of AES blocks");
  token.timestamp = read_be64(token.bytes, 1);
  return token;
}

bool authentic(const Token& token, Key key) {
  std::string_view signed_part(token.bytes.data(), token.bytes.size() - kHmacBytes);
  std::string expected = hmac(key, signed_part);
  return CRYPTO_memcmp(expected.data(), token.bytes.data() + signed_part.size(), kHmacBytes) == 0;
}

std::string open(const Token& token, Key key, int64_t now, uint64_t ttl_seconds) {
  check_time(token.timestamp, now, ttl_seconds);
  std::string_view ciphertext(token.bytes.data() + kHeaderBytes, token.bytes.size() - kHeaderBytes - kHmacBytes);
  std::string plaintext;
  if (!aes_cbc(false, key, bytes(token.bytes) + 1 + 8, ciphertext, plaintext))
    fail(FernetError::Kind::bad_padding, "token is authentic but its plaintext padding is wrong");
  return plaintext;
}

std::string decrypt(Key key, std::string_view text, int64_t now, uint64_t ttl_seconds) {
  Token token = parse(text);
  if (!authentic(token, key))
    fail(FernetError::Kind::unauthentic, "token is not authentic: forged, altered, or made with another key");
  return open(token, key, now, ttl_seconds);
}

}  // namespace vigil::fernet
