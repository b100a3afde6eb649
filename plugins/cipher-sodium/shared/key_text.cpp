#include "key_text.hpp"

#include <sodium.h>

#include <stdexcept>
#include <string>

namespace vigil::keyring {
namespace {

std::string_view trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

bool from_hex(std::string_view text, unsigned char* out) {
  size_t size = 0;
  return text.size() == 2 * kMasterKeyBytes &&
         sodium_hex2bin(out, kMasterKeyBytes, text.data(), text.size(), nullptr, &size, nullptr) == 0 &&
         size == kMasterKeyBytes;
}

bool from_base64url(std::string_view text, unsigned char* out) {
  // libsodium 1.0.18 takes any byte >= 0x80 for a base64 digit; only its
  // alphabet may reach it. (Its decoder is kept for its constant time: this
  // text is the key itself.)
  constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=";
  if (text.find_first_not_of(kAlphabet) != std::string_view::npos) return false;
  int variant = text.size() == 44 ? sodium_base64_VARIANT_URLSAFE : sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  size_t size = 0;
  return (text.size() == 43 || text.size() == 44) &&
         sodium_base642bin(out, kMasterKeyBytes, text.data(), text.size(), nullptr, &size, nullptr, variant) == 0 &&
         size == kMasterKeyBytes;
}

}  // namespace

void decode_key_text(std::string_view text, unsigned char* out, std::string_view origin) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not initialise");
  std::string_view key = trim(text);
  if (from_hex(key, out) || from_base64url(key, out)) return;
  sodium_memzero(out, kMasterKeyBytes);
  throw std::invalid_argument(
      std::string(origin) + ": expected a 32-byte key as 64 hex characters or URL-safe base64 (a Fernet key); found " +
      std::to_string(key.size()) + " characters");
}

}  // namespace vigil::keyring
