// libFuzzer target: the token text codec both ciphers use
// (plugins/cipher-sodium/shared/base64url.cpp). Its promise: decode accepts
// only canonical text (the encoding of what it decodes to), and encode then
// decode gives the bytes back, with and without padding.
#include "base64url.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using vigil::base64url::Padding;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = vigil::fuzz::text(data, size);
  for (Padding padding : {Padding::none, Padding::required}) {
    std::optional<std::string> bytes = vigil::base64url::decode(text, padding);
    if (bytes && vigil::base64url::encode(*bytes, padding) != text) std::abort();
    std::string encoded = vigil::base64url::encode(text, padding);
    if (vigil::base64url::decode(encoded, padding) != std::optional<std::string>(text)) std::abort();
    if (padding == Padding::required && encoded.size() % 4 != 0) std::abort();
  }
  return 0;
}
