#include "sodium_token.hpp"

#include <string>

#include "base64url.hpp"
#include "vigil/cpp/error.hpp"

namespace vigil::sodium_cipher {
namespace {

[[noreturn]] void malformed(const std::string& why) {
  throw sdk::Error(VIGIL_INVALID_ARGUMENT, "cipher-sodium: not a cipher-sodium token: " + why);
}

uint32_t parse_version(std::string_view digits) {
  if (digits.empty() || digits.size() > 10 || digits[0] == '0' ||
      digits.find_first_not_of("0123456789") != std::string_view::npos)
    malformed("the key version is not a number from 1 to 4294967295");
  uint64_t value = 0;
  for (char c : digits) value = value * 10 + static_cast<uint64_t>(c - '0');
  if (value > UINT32_MAX) malformed("the key version is not a number from 1 to 4294967295");
  return static_cast<uint32_t>(value);
}

std::string parse_data(std::string_view text) {
  std::optional<std::string> bytes = base64url::decode(text, base64url::Padding::none);
  if (!bytes) malformed("the data is not URL-safe base64 without padding");
  if (bytes->size() < kNonceBytes + kTagBytes)
    malformed("too short (" + std::to_string(bytes->size()) + " bytes of data, at least " +
              std::to_string(kNonceBytes + kTagBytes) + ")");
  return std::move(*bytes);
}

}  // namespace

std::string format_token(uint32_t key_version, std::string_view sealed) {
  return std::string(kTokenTag) + "." + std::to_string(key_version) + "." +
         base64url::encode(sealed, base64url::Padding::none);
}

Token parse_token(std::string_view text) {
  if (text.substr(0, kTokenTag.size() + 1) != std::string(kTokenTag) + ".")
    malformed("expected " + std::string(kTokenTag) + ".<key version>.<data>");
  text.remove_prefix(kTokenTag.size() + 1);
  size_t dot = text.find('.');
  if (dot == std::string_view::npos) malformed("expected " + std::string(kTokenTag) + ".<key version>.<data>");
  Token token;
  token.key_version = parse_version(text.substr(0, dot));
  token.sealed = parse_data(text.substr(dot + 1));
  return token;
}

}  // namespace vigil::sodium_cipher
