// The token-text codec against libsodium's (strict, constant-time) one:
// same text for the same bytes, and the same verdict on any ASCII text.
// Not beyond ASCII: libsodium 1.0.18 takes any byte >= 0x80 for a digit,
// which is why tokens do not go through it.
#include <gtest/gtest.h>
#include <sodium.h>

#include <cctype>
#include <random>

#include "base64url.hpp"

using vigil::base64url::Padding;

namespace {

int variant(Padding padding) {
  return padding == Padding::none ? sodium_base64_VARIANT_URLSAFE_NO_PADDING : sodium_base64_VARIANT_URLSAFE;
}

std::string sodium_encode(const std::string& bytes, Padding padding) {
  std::string text(sodium_base64_ENCODED_LEN(bytes.size(), variant(padding)), '\0');
  sodium_bin2base64(text.data(), text.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    variant(padding));
  text.resize(text.size() - 1);
  return text;
}

std::optional<std::string> sodium_decode(const std::string& text, Padding padding) {
  std::string bytes(text.size() + 1, '\0');
  size_t size = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), text.data(), text.size(), nullptr,
                        &size, nullptr, variant(padding)) != 0)
    return std::nullopt;
  bytes.resize(size);
  return bytes;
}

}  // namespace

TEST(Base64Url, EncodesEveryLengthAsLibsodiumDoes) {
  ASSERT_GE(sodium_init(), 0);
  std::mt19937 random(7);
  for (size_t n = 0; n < 200; ++n) {
    std::string bytes(n, '\0');
    for (char& c : bytes) c = static_cast<char>(random());
    for (Padding padding : {Padding::none, Padding::required}) {
      std::string text = vigil::base64url::encode(bytes, padding);
      EXPECT_EQ(text, sodium_encode(bytes, padding)) << n;
      EXPECT_EQ(vigil::base64url::decode(text, padding), bytes) << n;
    }
  }
}

TEST(Base64Url, JudgesArbitraryTextExactlyAsLibsodiumDoes) {
  ASSERT_GE(sodium_init(), 0);
  // Mostly alphabet characters, with the ones that trip decoders mixed in.
  const std::string characters("AQgw_-9z=+/. \n\0", 15);
  std::mt19937 random(11);
  for (int i = 0; i < 200000; ++i) {
    std::string text(random() % 14, '\0');
    for (char& c : text) c = characters[random() % (random() % 3 == 0 ? characters.size() : 6)];
    for (Padding padding : {Padding::none, Padding::required})
      ASSERT_EQ(vigil::base64url::decode(text, padding), sodium_decode(text, padding))
          << "text '" << text << "' padding " << (padding == Padding::none ? "none" : "required");
  }
}

TEST(Base64Url, RefusesEveryByteOutsideTheAlphabet) {
  for (int c = 0; c < 256; ++c) {
    std::string text = "QUJD";
    text[2] = static_cast<char>(c);
    bool in_alphabet = std::isalnum(c) || c == '-' || c == '_';
    EXPECT_EQ(vigil::base64url::decode(text, Padding::none).has_value(), in_alphabet) << "byte " << c;
  }
}

TEST(Base64Url, RefusesNonCanonicalTrailingBitsAndMisplacedPadding) {
  EXPECT_EQ(vigil::base64url::decode("QQ", Padding::none), "A");
  EXPECT_EQ(vigil::base64url::decode("QR", Padding::none), std::nullopt);
  EXPECT_EQ(vigil::base64url::decode("QUI", Padding::none), "AB");
  EXPECT_EQ(vigil::base64url::decode("QUJ", Padding::none), std::nullopt);
  EXPECT_EQ(vigil::base64url::decode("QQ==", Padding::required), "A");
  EXPECT_EQ(vigil::base64url::decode("QQ", Padding::required), std::nullopt);
  EXPECT_EQ(vigil::base64url::decode("QQ==", Padding::none), std::nullopt);
  EXPECT_EQ(vigil::base64url::decode("Q===", Padding::required), std::nullopt);
  EXPECT_EQ(vigil::base64url::decode("Q=Q=", Padding::required), std::nullopt);
  EXPECT_EQ(vigil::base64url::decode("Q", Padding::none), std::nullopt);
  EXPECT_EQ(vigil::base64url::decode("QUJD+A==", Padding::required), std::nullopt) << "standard alphabet";
}
