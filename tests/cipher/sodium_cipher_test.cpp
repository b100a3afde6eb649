// cipher-sodium's own promises: the token format and key derivation its
// README documents (checked by decrypting with libsodium directly), and key
// versions read without decrypting.
#include <gtest/gtest.h>
#include <sodium.h>

#include "tests/cipher/cipher_under_test.hpp"
#include "tests/cipher/test_keys.hpp"

using vigil::test::CipherResult;
using vigil::test::CipherUnderTest;

namespace {

std::string be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}

// The README's formulas, written out independently of the plugin's code.
void documented_client_key(const unsigned char* master, const std::string& context, unsigned char* out) {
  const unsigned char personal[16] = {'v', 'i', 'g', 'i', 'l', '-', 's', 'u', 'b', 'k', 'e', 'y', '-', 'i', 'd', 0};
  unsigned char hash[16];
  crypto_generichash_blake2b_salt_personal(hash, 16, reinterpret_cast<const unsigned char*>(context.data()),
                                           context.size(), master, 32, nullptr, personal);
  uint64_t id = 0;
  for (int i = 7; i >= 0; --i) id = (id << 8) | hash[i];
  ASSERT_EQ(crypto_kdf_derive_from_key(out, 32, id, "VIGILCLI", master), 0);
}

std::string documented_ad(uint32_t version, const std::string& context, const std::string& field) {
  return "xc1" + be32(version) + be32(static_cast<uint32_t>(context.size())) + context +
         be32(static_cast<uint32_t>(field.size())) + field;
}

// Opens a token with libsodium alone; nullopt when it does not authenticate.
std::optional<std::string> documented_open(const std::string& token, const unsigned char* key, uint32_t version,
                                           const std::string& context, const std::string& field) {
  std::string prefix = "xc1." + std::to_string(version) + ".";
  if (token.rfind(prefix, 0) != 0) return std::nullopt;
  std::string data = token.substr(prefix.size());
  std::vector<unsigned char> bytes(data.size());
  size_t size = 0;
  if (sodium_base642bin(bytes.data(), bytes.size(), data.data(), data.size(), nullptr, &size, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      size < 40)
    return std::nullopt;
  std::string ad = documented_ad(version, context, field);
  std::string plaintext(size - 40, '\0');
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plaintext.data()), nullptr, nullptr, bytes.data() + 24, size - 24,
          reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), bytes.data(), key) != 0)
    return std::nullopt;
  return plaintext;
}

class SodiumCipher : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    hex = vigil::test::random_hex_key();
    sodium_hex2bin(master, 32, hex.data(), hex.size(), nullptr, nullptr, nullptr);
    setenv("VIGIL_TEST_SODIUM_KEY", hex.c_str(), 1);
    cipher = std::make_unique<CipherUnderTest>("cipher-sodium", R"({"key_env":"VIGIL_TEST_SODIUM_KEY"})");
  }
  std::string hex;
  unsigned char master[32];
  std::unique_ptr<CipherUnderTest> cipher;
};

}  // namespace

TEST_F(SodiumCipher, DescribesItselfAsXChaCha20Poly1305WithThirtyTwoByteKeys) {
  vigil_cipher_info info = cipher->info();
  EXPECT_STREQ(info.algorithm, "xchacha20poly1305-ietf");
  EXPECT_EQ(info.key_bytes, 32u);
  EXPECT_EQ(info.current_key_version, 1u);
}

TEST_F(SodiumCipher, WithoutAContextTheMasterKeyIsUsedAsItIs) {
  std::string token = cipher->seal("", "payload", "plain");
  EXPECT_EQ(documented_open(token, master, 1, "", "payload"), "plain");
}

TEST_F(SodiumCipher, AClientsKeyIsDerivedAsTheReadmeSays) {
  unsigned char client[32];
  documented_client_key(master, "client-42", client);
  std::string token = cipher->seal("client-42", "payload", "plain");
  EXPECT_EQ(documented_open(token, client, 1, "client-42", "payload"), "plain");
  EXPECT_EQ(documented_open(token, master, 1, "client-42", "payload"), std::nullopt) << "the master key opened it";
}

TEST_F(SodiumCipher, TheTokenIsTagVersionAndNoncePlusSealedPlaintext) {
  std::string token = cipher->seal("c", "f", std::string(100, 'p'));
  ASSERT_EQ(token.rfind("xc1.1.", 0), 0u) << token;
  // base64 without padding of 24 + 100 + 16 bytes
  EXPECT_EQ(token.size(), 6u + (140 * 4 + 2) / 3);
}

TEST_F(SodiumCipher, TheKeyVersionIsReadWithoutAnyKey) {
  setenv("VIGIL_TEST_SODIUM_KEY_7", vigil::test::random_hex_key().c_str(), 1);
  CipherUnderTest rotated("cipher-sodium", R"({"keys":[{"version":1,"env":"VIGIL_TEST_SODIUM_KEY"},)"
                                           R"({"version":7,"env":"VIGIL_TEST_SODIUM_KEY_7"}]})");
  std::string token = rotated.seal("c", "payload", "x");
  EXPECT_EQ(token.rfind("xc1.7.", 0), 0u);
  EXPECT_EQ(rotated.token_key_version(token).out, "7");
  EXPECT_EQ(cipher->token_key_version(token).out, "7") << "an instance without version 7 reads it too";
  EXPECT_EQ(cipher->token_key_version(cipher->seal("c", "payload", "x")).out, "1");
}

TEST_F(SodiumCipher, TheKeyVersionOfSomethingThatIsNoTokenIsAnInvalidArgument) {
  for (std::string bad : {"", "xc1.", "xc1.0.AAAA", "xc1.01.AAAA", "xc1.4294967296.AAAA", "xc2.1.AAAA", "xc1.1"}) {
    CipherResult r = cipher->token_key_version(bad + std::string(60, 'A'));
    EXPECT_EQ(r.status, VIGIL_INVALID_ARGUMENT) << bad;
    EXPECT_NE(r.error.find("not a cipher-sodium token"), std::string::npos) << r.error;
  }
}

TEST_F(SodiumCipher, ATokenOfAVersionNotConfiguredSaysWhichVersionIsMissing) {
  setenv("VIGIL_TEST_SODIUM_KEY_3", vigil::test::random_hex_key().c_str(), 1);
  CipherUnderTest v3("cipher-sodium", R"({"keys":[{"version":3,"env":"VIGIL_TEST_SODIUM_KEY_3"}]})");
  CipherResult r = cipher->decrypt("c", "payload", v3.seal("c", "payload", "x"));
  EXPECT_EQ(r.status, VIGIL_UNAUTHENTICATED);
  EXPECT_EQ(r.error, "cipher-sodium: token was made with key version 3, which is not configured (configured: 1)");
}

TEST_F(SodiumCipher, RelabellingATokensVersionBreaksIt) {
  // Version 2 holds the very same key: only the authenticated label differs.
  CipherUnderTest same_key_twice(
      "cipher-sodium",
      R"({"keys":[{"version":1,"env":"VIGIL_TEST_SODIUM_KEY"},{"version":2,"env":"VIGIL_TEST_SODIUM_KEY"}],"current":1})");
  std::string token = same_key_twice.seal("c", "payload", "x");
  std::string relabelled = "xc1.2." + token.substr(6);
  EXPECT_TRUE(same_key_twice.decrypt("c", "payload", token).ok());
  EXPECT_EQ(same_key_twice.decrypt("c", "payload", relabelled).status, VIGIL_UNAUTHENTICATED);
}

TEST_F(SodiumCipher, AFieldIsBoundEvenWithoutAContext) {
  std::string token = cipher->seal("", "payload", "x");
  EXPECT_EQ(cipher->decrypt("", "device_secret", token).status, VIGIL_UNAUTHENTICATED);
}

TEST_F(SodiumCipher, AFernetKeyFileWorksAsAMasterKeyToo) {
  vigil::test::TempDir dir;
  std::string path = vigil::test::write_key_file(dir, "k", vigil::test::random_fernet_key() + "\n");
  CipherUnderTest from_file("cipher-sodium", R"({"key_file":")" + path + R"("})");
  EXPECT_EQ(from_file.decrypt("c", "payload", from_file.seal("c", "payload", "x")).out, "x");
}
