// libFuzzer target: cipher-sodium's decrypt and token_key_version on
// arbitrary text, on well-shaped tokens with arbitrary bytes, and the round
// trip of arbitrary plaintexts. See plugins/cipher-sodium/README.md.
#include <sodium.h>

#include "tests/fuzz/cipher_host.hpp"

namespace {

std::string shaped_token(const uint8_t* data, size_t size) {
  std::string text(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(text.data(), text.size(), data, size, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  text.resize(text.size() - 1);
  return "xc1.1." + text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil::fuzz;
  const Cipher& c = cipher(R"({"key_env":"VIGIL_FUZZ_KEY"})");
  if (size == 0) return 0;
  std::string_view context = data[0] & 1 ? "client-1" : "";
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string plaintext;
  switch (data[0] >> 6) {
    case 0: {
      check_refusal(decrypt(c, context, rest, plaintext), plaintext);
      uint32_t version = 0;
      c.vtable->token_key_version(c.instance, {rest.data(), rest.size()}, &version, nullptr);
      break;
    }
    case 1:
      check_refusal(decrypt(c, context, shaped_token(data + 1, size - 1), plaintext), plaintext);
      break;
    default:
      if (decrypt(c, context, encrypt(c, context, rest), plaintext) != VIGIL_OK || plaintext != rest) std::abort();
  }
  return 0;
}
