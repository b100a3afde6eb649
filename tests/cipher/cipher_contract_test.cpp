// What cipher.h promises, held against both cipher plugins loaded for real:
// round trips, and refusal (never a crash, never output) of every token that
// was altered, cut, made with another key or for another client or field.
#include <gtest/gtest.h>
#include <sodium.h>

#include <thread>

#include "tests/cipher/cipher_under_test.hpp"
#include "tests/cipher/test_keys.hpp"

using vigil::test::CipherResult;
using vigil::test::CipherUnderTest;

namespace {

// How each plugin writes the bytes of a token as text, so a test can alter
// the bytes and still hand over well-formed text.
struct TokenText {
  size_t prefix;  // characters before the base64
  int variant;
};

TokenText token_text(const std::string& plugin, const std::string& token) {
  if (plugin == "cipher-sodium") return {token.find('.', 4) + 1, sodium_base64_VARIANT_URLSAFE_NO_PADDING};
  return {0, sodium_base64_VARIANT_URLSAFE};
}

std::string decode(const std::string& text, int variant) {
  std::string bytes(text.size(), '\0');
  size_t size = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), text.data(), text.size(), nullptr,
                        &size, nullptr, variant) != 0)
    throw std::runtime_error("test token is not base64");
  bytes.resize(size);
  return bytes;
}

std::string encode(const std::string& bytes, int variant) {
  std::string text(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
  sodium_bin2base64(text.data(), text.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    variant);
  text.resize(text.size() - 1);
  return text;
}

class CipherContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    setenv("VIGIL_TEST_KEY_A", vigil::test::random_hex_key().c_str(), 1);
    setenv("VIGIL_TEST_KEY_B", vigil::test::random_hex_key().c_str(), 1);
    cipher = make(R"({"key_env":"VIGIL_TEST_KEY_A"})");
  }
  std::unique_ptr<CipherUnderTest> make(const std::string& options) {
    return std::make_unique<CipherUnderTest>(GetParam(), options);
  }
  // A refusal as the ABI defines it: a refusing status, a message, no output.
  static void expect_refused(const CipherResult& r, const std::string& what) {
    EXPECT_TRUE(r.status == VIGIL_UNAUTHENTICATED || r.status == VIGIL_INVALID_ARGUMENT)
        << what << ": status " << r.status << " " << r.error;
    EXPECT_FALSE(r.error.empty()) << what;
    EXPECT_TRUE(r.out.empty()) << what << ": wrote output for a refused token";
  }

  std::unique_ptr<CipherUnderTest> cipher;
};

}  // namespace

TEST_P(CipherContract, ATokenDecryptsToItsPlaintextForItsClientAndField) {
  for (std::string context : {"", "client-42"}) {
    std::string token = cipher->seal(context, "payload", R"({"note":"hold until NFP"})");
    CipherResult r = cipher->decrypt(context, "payload", token);
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.out, R"({"note":"hold until NFP"})");
  }
}

TEST_P(CipherContract, EmptyBinaryAndLargePlaintextsRoundTrip) {
  std::string binary;
  for (int i = 0; i < 256; ++i) binary.push_back(static_cast<char>(i));
  for (const std::string& plaintext : {std::string(), binary, std::string(1 << 20, 'x')}) {
    CipherResult r = cipher->decrypt("c", "payload", cipher->seal("c", "payload", plaintext));
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.out, plaintext);
  }
}

TEST_P(CipherContract, TokensArePrintableAsciiAndNeverRepeat) {
  std::string first = cipher->seal("c", "payload", "same");
  std::string second = cipher->seal("c", "payload", "same");
  EXPECT_NE(first, second);
  for (char c : first) EXPECT_TRUE(c > 0x20 && c < 0x7f) << "character " << int(c);
}

TEST_P(CipherContract, EveryAlteredCharacterIsRefused) {
  std::string token = cipher->seal("c", "payload", "sl=1.0850 tp=1.0990");
  // The alphabet, the separators, and bytes a lax decoder reads as digits.
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=.+/\x80\xff";
  for (size_t i = 0; i < token.size(); ++i) {
    for (char replacement : alphabet) {
      if (replacement == token[i]) continue;
      std::string altered = token;
      altered[i] = replacement;
      CipherResult r = cipher->decrypt("c", "payload", altered);
      ASSERT_FALSE(r.ok()) << "accepted with character " << i << " changed to " << replacement << ": " << altered;
      ASSERT_TRUE(r.out.empty());
    }
  }
}

TEST_P(CipherContract, EveryFlippedBitOfTheTokensBytesIsRefused) {
  std::string token = cipher->seal("c", "payload", "sl=1.0850 tp=1.0990");
  TokenText form = token_text(GetParam(), token);
  std::string bytes = decode(token.substr(form.prefix), form.variant);
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string altered = bytes;
      altered[i] = static_cast<char>(altered[i] ^ (1 << bit));
      std::string text = token.substr(0, form.prefix) + encode(altered, form.variant);
      expect_refused(cipher->decrypt("c", "payload", text),
                     "byte " + std::to_string(i) + " bit " + std::to_string(bit));
    }
  }
}

TEST_P(CipherContract, EveryTruncationIsRefused) {
  std::string token = cipher->seal("c", "payload", "sl=1.0850");
  for (size_t n = 0; n < token.size(); ++n)
    expect_refused(cipher->decrypt("c", "payload", token.substr(0, n)), "first " + std::to_string(n) + " characters");
}

TEST_P(CipherContract, GarbageIsRefusedWithAMessage) {
  std::string with_nul("xc1.1.\0AAAA", 11);
  for (const std::string& garbage :
       {std::string("hello"), std::string(" "), std::string(100000, 'A'), with_nul, std::string("xc1.99999999999.AAAA"),
        std::string("gAAAAA=="), std::string("\xff\xfe\x80", 3)})
    expect_refused(cipher->decrypt("c", "payload", garbage), "garbage of " + std::to_string(garbage.size()) + " bytes");
}

TEST_P(CipherContract, AnotherMasterKeyCannotDecrypt) {
  auto other = make(R"({"key_env":"VIGIL_TEST_KEY_B"})");
  for (std::string context : {"", "client-42"}) {
    CipherResult r = other->decrypt(context, "payload", cipher->seal(context, "payload", "secret"));
    expect_refused(r, "context '" + context + "'");
    EXPECT_EQ(r.status, VIGIL_UNAUTHENTICATED);
  }
}

TEST_P(CipherContract, ATokenCopiedToAnotherClientIsRefused) {
  std::string token = cipher->seal("alice", "payload", "secret");
  expect_refused(cipher->decrypt("bob", "payload", token), "another client");
  expect_refused(cipher->decrypt("alicf", "payload", token), "another client of the same length");
  expect_refused(cipher->decrypt("", "payload", token), "no client");
  expect_refused(cipher->decrypt("alic", "payload", token), "a prefix of the client");
  expect_refused(cipher->decrypt("alice", "payload", cipher->seal("", "payload", "secret")), "made without client");
}

TEST_P(CipherContract, ATokenCopiedToAnotherFieldOfItsClientIsRefused) {
  std::string token = cipher->seal("alice", "payload", "secret");
  expect_refused(cipher->decrypt("alice", "notes", token), "another field");
  expect_refused(cipher->decrypt("alice", "secrets", token), "another field of the same length");
  expect_refused(cipher->decrypt("alice", "", token), "no field");
  // Lengths are part of what is bound: moving a character between context
  // and field must not produce the same binding.
  expect_refused(cipher->decrypt("alic", "epayload", token), "shifted boundary");
}

TEST_P(CipherContract, AfterRotationNewTokensUseTheNewKeyAndOldOnesStillDecrypt) {
  std::string old_token = cipher->seal("alice", "payload", "before");
  auto rotated = make(R"({"keys":[{"version":1,"env":"VIGIL_TEST_KEY_A"},{"version":2,"env":"VIGIL_TEST_KEY_B"}]})");
  EXPECT_EQ(rotated->info().current_key_version, 2u);
  std::string new_token = rotated->seal("alice", "payload", "after");
  EXPECT_EQ(rotated->decrypt("alice", "payload", old_token).out, "before");
  EXPECT_EQ(rotated->decrypt("alice", "payload", new_token).out, "after");
  expect_refused(cipher->decrypt("alice", "payload", new_token), "the old key alone");
  auto only_new = make(R"({"keys":[{"version":2,"env":"VIGIL_TEST_KEY_B"}]})");
  expect_refused(only_new->decrypt("alice", "payload", old_token), "a retired key");
}

TEST_P(CipherContract, CurrentCanPointBackAtAnOlderVersion) {
  auto rolled_back =
      make(R"({"keys":[{"version":1,"env":"VIGIL_TEST_KEY_A"},{"version":2,"env":"VIGIL_TEST_KEY_B"}],"current":1})");
  EXPECT_EQ(rolled_back->info().current_key_version, 1u);
  EXPECT_EQ(cipher->decrypt("c", "payload", rolled_back->seal("c", "payload", "x")).out, "x");
}

TEST_P(CipherContract, OneInstanceServesManyThreadsAtOnce) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        std::string context = "client-" + std::to_string(t);
        std::string text = std::to_string(i);
        CipherResult r = cipher->decrypt(context, "payload", cipher->seal(context, "payload", text));
        if (!r.ok() || r.out != text) ++failures;
      }
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
}

TEST_P(CipherContract, RefusedTokensAreCounted) {
  cipher->decrypt("c", "payload", "nonsense");
  cipher->decrypt("c", "payload", cipher->seal("d", "payload", "x"));
  std::string metric = "vigil_cipher_decrypt_failures_total{cipher=\"" + GetParam() + "\"}";
  EXPECT_EQ(cipher->metrics().value(metric), 2);
}

TEST_P(CipherContract, AMissingKeyStopsCreateWithAClearMessage) {
  unsetenv("VIGIL_TEST_KEY_ABSENT");
  try {
    make(R"({"key_env":"VIGIL_TEST_KEY_ABSENT"})");
    FAIL() << "created without a key";
  } catch (const vigil::core::ComponentError& e) {
    EXPECT_NE(std::string(e.what()).find(GetParam() + ": key version 1: environment variable VIGIL_TEST_KEY_ABSENT "
                                                      "is not set"),
              std::string::npos)
        << e.what();
  }
}

TEST_P(CipherContract, AnUnknownOptionStopsCreate) {
  try {
    make(R"({"key_env":"VIGIL_TEST_KEY_A","master_key":"00"})");
    FAIL() << "accepted an unknown option";
  } catch (const vigil::core::ComponentError& e) {
    EXPECT_NE(std::string(e.what()).find(GetParam() + ": option master_key: unknown option"), std::string::npos)
        << e.what();
    EXPECT_EQ(e.status(), VIGIL_INVALID_ARGUMENT);
  }
}

INSTANTIATE_TEST_SUITE_P(BothCiphers, CipherContract, ::testing::Values("cipher-sodium", "cipher-fernet"),
                         [](const auto& info) { return info.param == "cipher-sodium" ? "Sodium" : "Fernet"; });
