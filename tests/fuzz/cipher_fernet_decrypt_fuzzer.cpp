// libFuzzer target: cipher-fernet's decrypt on arbitrary text, on tokens
// signed with the right key whatever their content (so the clock checks,
// AES-CBC and the padding check are reached, not only the HMAC), and the
// round trip of arbitrary plaintexts. See plugins/cipher-fernet/README.md.
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include "tests/fuzz/cipher_host.hpp"

namespace {

// 0x80 ‖ [timestamp] ‖ the fuzzer's bytes ‖ HMAC-SHA256 under the master's
// signing half. With `stamp`, the timestamp is the fixed clock's, so the
// fuzzer's bytes are IV and ciphertext and AES-CBC and the padding check
// run on every input.
std::string signed_token(const uint8_t* data, size_t size, bool stamp) {
  unsigned char key[32];
  for (unsigned i = 0; i < 32; ++i) key[i] = static_cast<unsigned char>(i);
  std::string bytes(1, '\x80');
  for (int shift = 56; stamp && shift >= 0; shift -= 8)
    bytes.push_back(static_cast<char>((vigil::fuzz::kNowMs / 1000 >> shift) & 0xff));
  bytes.append(reinterpret_cast<const char*>(data), size);
  unsigned char mac[32];
  unsigned int mac_size = 0;
  HMAC(EVP_sha256(), key, 16, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), mac, &mac_size);
  bytes.append(reinterpret_cast<const char*>(mac), mac_size);
  std::string text(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_URLSAFE), '\0');
  sodium_bin2base64(text.data(), text.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE);
  text.resize(text.size() - 1);
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil::fuzz;
  const Cipher& c = cipher(R"({"key_env":"VIGIL_FUZZ_KEY","ttl_seconds":3600})");
  if (size == 0) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string plaintext;
  switch (data[0] >> 6) {
    case 0:
      check_refusal(decrypt(c, data[0] & 1 ? "client-1" : "", rest, plaintext), plaintext);
      break;
    case 1:
    case 2:
      check_refusal(decrypt(c, "", signed_token(data + 1, size - 1, data[0] >> 6 == 2), plaintext), plaintext);
      break;
    default: {
      std::string_view context = data[0] & 1 ? "client-1" : "";
      if (decrypt(c, context, encrypt(c, context, rest), plaintext) != VIGIL_OK || plaintext != rest) std::abort();
    }
  }
  return 0;
}
