// cipher-fernet loaded as a plugin: standard Fernet tokens without a
// context, HKDF per-client keys with one, and the spec's TTL and clock-skew
// checks against the host's clock.
#include <gtest/gtest.h>
#include <sodium.h>

#include <chrono>

#include "client_key.hpp"
#include "fernet.hpp"
#include "key_text.hpp"
#include "tests/cipher/cipher_under_test.hpp"
#include "tests/cipher/test_keys.hpp"

using vigil::test::CipherResult;
using vigil::test::CipherUnderTest;

namespace {

int64_t now_seconds() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

class FernetCipher : public ::testing::Test {
 protected:
  void SetUp() override {
    fernet_key = vigil::test::random_fernet_key();
    vigil::keyring::decode_key_text(fernet_key, master, "test key");
    key_file = vigil::test::write_key_file(dir, "fernet.key", fernet_key + "\n");
  }
  std::unique_ptr<CipherUnderTest> make(const std::string& extra = "") {
    return std::make_unique<CipherUnderTest>("cipher-fernet", R"({"key_file":")" + key_file + "\"" + extra + "}");
  }
  // A token made by the pure functions with the master key, stamped `at`.
  std::string token_at(int64_t at, const std::string& plaintext) {
    unsigned char iv[16];
    randombytes_buf(iv, sizeof iv);
    return vigil::fernet::encrypt(vigil::fernet::Key(master, 32), plaintext, static_cast<uint64_t>(at),
                                  vigil::fernet::Iv(iv, 16));
  }

  vigil::test::TempDir dir;
  std::string fernet_key, key_file;
  unsigned char master[32];
};

}  // namespace

TEST_F(FernetCipher, DescribesItself) {
  auto cipher = make();  // describe's strings live as long as the instance
  vigil_cipher_info info = cipher->info();
  EXPECT_STREQ(info.algorithm, "fernet-aes128cbc-hmacsha256");
  EXPECT_EQ(info.key_bytes, 32u);
  EXPECT_EQ(info.current_key_version, 1u);
}

TEST_F(FernetCipher, WithoutAContextTokensAreStandardFernetStampedWithTheHostClock) {
  std::string token = make()->seal("", "payload", "hello");
  EXPECT_EQ(token.substr(0, 1), "g") << "version byte 0x80";
  vigil::fernet::Token parsed = vigil::fernet::parse(token);
  EXPECT_NEAR(static_cast<double>(parsed.timestamp), static_cast<double>(now_seconds()), 5);
  EXPECT_EQ(vigil::fernet::decrypt(vigil::fernet::Key(master, 32), token, now_seconds(), 60), "hello");
}

TEST_F(FernetCipher, AStandardFernetTokenFromElsewhereDecryptsWithoutAContext) {
  EXPECT_EQ(make()->decrypt("", "payload", token_at(now_seconds() - 86400, "from python")).out, "from python");
}

TEST_F(FernetCipher, WithAContextTheKeyIsHkdfOfTheMasterClientAndField) {
  unsigned char master_kat[32];
  for (unsigned i = 0; i < 32; ++i) master_kat[i] = static_cast<unsigned char>(i);
  unsigned char derived[32];
  vigil::fernet::client_key(master_kat, "client-42", "payload", derived);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, derived, 32);
  // Computed with Python's cryptography: HKDF(SHA256(), 32, None, info).derive(bytes(range(32)))
  EXPECT_STREQ(hex, "19b8b8ab914d7585dc738cfcfe89a4e9b4e2ca1b6ed124db1a09742c13efd2c5");

  std::string token = make()->seal("client-42", "payload", "for client 42");
  vigil::fernet::client_key(master, "client-42", "payload", derived);
  EXPECT_EQ(vigil::fernet::decrypt(vigil::fernet::Key(derived, 32), token, now_seconds(), 0), "for client 42");
}

TEST_F(FernetCipher, WithoutAContextTheFieldCannotBeBound) {
  // The documented limit: a plain Fernet token has no associated data, and
  // without a context the key is the master key as it is.
  auto cipher = make();
  EXPECT_EQ(cipher->decrypt("", "notes", cipher->seal("", "payload", "x")).out, "x");
}

TEST_F(FernetCipher, TheTtlRefusesOldTokensByTheHostClock) {
  auto cipher = make(R"(,"ttl_seconds":60)");
  EXPECT_TRUE(cipher->decrypt("", "payload", token_at(now_seconds() - 30, "x")).ok());
  CipherResult old = cipher->decrypt("", "payload", token_at(now_seconds() - 120, "x"));
  EXPECT_EQ(old.status, VIGIL_UNAUTHENTICATED);
  EXPECT_NE(old.error.find("token expired"), std::string::npos) << old.error;
  EXPECT_TRUE(old.out.empty());
}

TEST_F(FernetCipher, WithoutATtlOldTokensStillDecrypt) {
  EXPECT_TRUE(make()->decrypt("", "payload", token_at(now_seconds() - 10 * 365 * 86400, "x")).ok());
}

TEST_F(FernetCipher, ATokenFromMoreThanSixtySecondsInTheFutureIsRefused) {
  auto cipher = make();
  EXPECT_TRUE(cipher->decrypt("", "payload", token_at(now_seconds() + 30, "x")).ok());
  CipherResult ahead = cipher->decrypt("", "payload", token_at(now_seconds() + 300, "x"));
  EXPECT_EQ(ahead.status, VIGIL_UNAUTHENTICATED);
  EXPECT_NE(ahead.error.find("ahead of this host's clock"), std::string::npos) << ahead.error;
}

TEST_F(FernetCipher, AForgedTokenIsNeverReportedAsExpired) {
  // Time is judged only after the HMAC: an attacker learns nothing from it.
  std::string forged = token_at(now_seconds() - 120, "x");
  auto other = std::make_unique<CipherUnderTest>(
      "cipher-fernet", R"({"key_file":")" +
                           vigil::test::write_key_file(dir, "other.key", vigil::test::random_fernet_key()) +
                           R"(","ttl_seconds":60})");
  CipherResult r = other->decrypt("", "payload", forged);
  EXPECT_EQ(r.status, VIGIL_UNAUTHENTICATED);
  EXPECT_NE(r.error.find("not authentic"), std::string::npos) << r.error;
}

TEST_F(FernetCipher, TokensDoNotRecordTheirKeyVersion) {
  auto cipher = make();
  CipherResult r = cipher->token_key_version(cipher->seal("", "payload", "x"));
  EXPECT_EQ(r.status, VIGIL_UNSUPPORTED);
  EXPECT_NE(r.error.find("does not record its key version"), std::string::npos) << r.error;
}

TEST_F(FernetCipher, AMalformedTokenIsAnInvalidArgumentAndAForgedOneUnauthenticated) {
  auto cipher = make();
  EXPECT_EQ(cipher->decrypt("", "payload", "not a token").status, VIGIL_INVALID_ARGUMENT);
  std::string token = cipher->seal("", "payload", "x");
  token[token.size() - 5] = token[token.size() - 5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(cipher->decrypt("", "payload", token).status, VIGIL_UNAUTHENTICATED);
}

TEST_F(FernetCipher, ANegativeTtlIsRefusedByName) {
  try {
    make(R"(,"ttl_seconds":-1)");
    FAIL() << "accepted a negative TTL";
  } catch (const vigil::core::ComponentError& e) {
    EXPECT_NE(
        std::string(e.what()).find("cipher-fernet: option ttl_seconds: expected an integer of at least 0, got -1"),
        std::string::npos)
        << e.what();
  }
}
