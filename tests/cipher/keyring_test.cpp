// The master keys of the ciphers: options, key text, key files and their
// permissions, and the order in which versions are tried.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

#include "key_options.hpp"
#include "key_source.hpp"
#include "key_text.hpp"
#include "keyring.hpp"
#include "tests/cipher/test_keys.hpp"
#include "vigil/cpp/options.hpp"

using vigil::keyring::KeyOptions;
using vigil::keyring::KeySource;
using vigil::test::TempDir;
using vigil::test::write_key_file;

namespace {

KeyOptions parse(const std::string& json) {
  return vigil::keyring::parse_key_options(vigil::sdk::Options(json, "cipher-x"));
}

std::string parse_error(const std::string& json) {
  try {
    parse(json);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(accepted)";
}

std::string load_error(const KeySource& source) {
  try {
    vigil::keyring::load_key(source, "cipher-x");
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(accepted)";
}

KeySource file_source(const std::string& path) {
  return KeySource{1, KeySource::Origin::file, path};
}

}  // namespace

TEST(KeyOptions, NoOptionsMeansVersionOneFromVigilMasterKey) {
  KeyOptions o = parse("{}");
  ASSERT_EQ(o.keys.size(), 1u);
  EXPECT_EQ(o.keys[0].origin, KeySource::Origin::env);
  EXPECT_EQ(o.keys[0].name, "VIGIL_MASTER_KEY");
  EXPECT_EQ(o.keys[0].version, 1u);
  EXPECT_EQ(o.current, 1u);
}

TEST(KeyOptions, TheSimpleFormsNameOneVariableOrOneFile) {
  EXPECT_EQ(parse(R"({"key_env":"MY_KEY"})").keys[0].name, "MY_KEY");
  KeyOptions file = parse(R"({"key_file":"/etc/vigil/key"})");
  EXPECT_EQ(file.keys[0].origin, KeySource::Origin::file);
  EXPECT_EQ(file.keys[0].name, "/etc/vigil/key");
}

TEST(KeyOptions, SeveralVersionsDefaultToTheHighestAsCurrent) {
  KeyOptions o = parse(R"({"keys":[{"version":3,"file":"/k3"},{"version":7,"env":"K7"},{"version":5,"env":"K5"}]})");
  ASSERT_EQ(o.keys.size(), 3u);
  EXPECT_EQ(o.current, 7u);
  EXPECT_EQ(parse(R"({"keys":[{"version":1,"file":"/k1"},{"version":2,"env":"K2"}],"current":1})").current, 1u);
}

TEST(KeyOptions, EachMistakeIsNamedByItsOption) {
  EXPECT_EQ(parse_error(R"({"keys":[{"version":1,"env":"A"}],"key_file":"/k"})"),
            "cipher-x: option keys: give either keys or key_env/key_file, not both");
  EXPECT_EQ(parse_error(R"({"key_env":"A","key_file":"/k"})"),
            "cipher-x: option key_file: give either key_env or key_file, not both");
  EXPECT_EQ(parse_error(R"({"keys":[]})"), "cipher-x: option keys: expected a non-empty list of mappings, got a list");
  EXPECT_EQ(parse_error(R"({"keys":[{"version":1,"env":"A"},{"version":1,"env":"B"}]})"),
            "cipher-x: option keys[1].version: duplicate key version");
  EXPECT_EQ(parse_error(R"({"keys":[{"version":1,"env":"A"}],"current":2})"),
            "cipher-x: option current: no key with version 2");
  EXPECT_EQ(parse_error(R"({"keys":[{"version":0,"env":"A"}]})"),
            "cipher-x: option keys[0].version: expected an integer from 1 to 4294967295, got 0");
  EXPECT_EQ(parse_error(R"({"keys":[{"version":4294967296,"env":"A"}]})"),
            "cipher-x: option keys[0].version: expected an integer from 1 to 4294967295, got 4294967296");
  EXPECT_EQ(parse_error(R"({"keys":[{"version":1,"env":"A","file":"/k"}]})"),
            "cipher-x: option keys[0]: give exactly one of env or file");
  EXPECT_EQ(parse_error(R"({"keys":[{"env":"A"}]})"),
            "cipher-x: option keys[0].version: missing: every key names its version");
  EXPECT_EQ(parse_error(R"({"keys":[{"version":1,"env":"A","key":"00"}]})"),
            "cipher-x: option keys[0].key: unknown option (known: env, file, version)");
  EXPECT_EQ(parse_error(R"({"current":1})"), "cipher-x: option current: only meaningful with keys");
  EXPECT_EQ(parse_error(R"({"key_file":""})"), "cipher-x: option key_file: expected a non-empty string, got \"\"");
}

TEST(KeyText, HexAndFernetFormsDecodeToTheSameBytes) {
  unsigned char from_hex[32], from_b64[32], from_b64_unpadded[32];
  std::string hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  vigil::keyring::decode_key_text(hex + "\n", from_hex, "t");
  vigil::keyring::decode_key_text("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", from_b64, "t");
  vigil::keyring::decode_key_text("  AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\r\n", from_b64_unpadded, "t");
  for (unsigned i = 0; i < 32; ++i) {
    EXPECT_EQ(from_hex[i], i);
    EXPECT_EQ(from_b64[i], i);
    EXPECT_EQ(from_b64_unpadded[i], i);
  }
}

TEST(KeyText, AWrongKeyIsDescribedByItsLengthNeverByItsText) {
  unsigned char out[32];
  std::string short_key(62, 'a');
  try {
    vigil::keyring::decode_key_text(short_key, out, "key file /k");
    FAIL() << "accepted a 62-character key";
  } catch (const std::invalid_argument& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("key file /k: expected a 32-byte key"), std::string::npos) << message;
    EXPECT_NE(message.find("found 62 characters"), std::string::npos) << message;
    EXPECT_EQ(message.find("aaaa"), std::string::npos) << "the key text leaked: " << message;
  }
  EXPECT_THROW(vigil::keyring::decode_key_text(std::string(63, 'f') + "g", out, "k"), std::invalid_argument);
  EXPECT_THROW(vigil::keyring::decode_key_text("", out, "k"), std::invalid_argument);
  std::string high_byte = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
  high_byte[10] = '\x80';  // libsodium alone would take it for a digit
  EXPECT_THROW(vigil::keyring::decode_key_text(high_byte, out, "k"), std::invalid_argument);
}

TEST(KeySource, AKeyFileOnlyItsOwnerMayReadIsLoaded) {
  TempDir dir;
  std::string hex = vigil::test::random_hex_key();
  auto key = vigil::keyring::load_key(file_source(write_key_file(dir, "k", hex + "\n", 0400)), "cipher-x");
  ASSERT_EQ(key.size(), 32u);
  unsigned char expected[32];
  vigil::keyring::decode_key_text(hex, expected, "t");
  EXPECT_EQ(std::memcmp(key.data(), expected, 32), 0);
}

TEST(KeySource, AKeyFileGroupOrOthersMayAccessIsRefusedWithTheFix) {
  TempDir dir;
  for (mode_t mode : {0640, 0604, 0660, 0602, 0610}) {
    std::string path = write_key_file(dir, "k", vigil::test::random_hex_key(), mode);
    std::string error = load_error(file_source(path));
    char mode_text[8];
    std::snprintf(mode_text, sizeof mode_text, "%04o", static_cast<unsigned>(mode));
    EXPECT_EQ(error, "cipher-x: key version 1: key file " + path + ": group or others may access it (mode " +
                         mode_text + "); refusing to use it as a key: run chmod 600 on it");
  }
}

TEST(KeySource, AMissingFileADirectoryAndAnUnsetVariableAreEachNamed) {
  TempDir dir;
  EXPECT_EQ(load_error(file_source((dir.path() / "absent").string())),
            "cipher-x: key version 1: key file " + (dir.path() / "absent").string() +
                ": cannot open it: No such file or directory");
  chmod(dir.path().c_str(), 0700);
  EXPECT_EQ(load_error(file_source(dir.path().string())),
            "cipher-x: key version 1: key file " + dir.path().string() + ": not a regular file");
  unsetenv("VIGIL_TEST_UNSET_KEY");
  EXPECT_EQ(load_error(KeySource{4, KeySource::Origin::env, "VIGIL_TEST_UNSET_KEY"}),
            "cipher-x: key version 4: environment variable VIGIL_TEST_UNSET_KEY is not set (it must hold the "
            "32-byte master key as 64 hex characters)");
}

TEST(KeySource, AHugeKeyFileIsRefused) {
  TempDir dir;
  std::string path = write_key_file(dir, "k", std::string(100000, 'a'));
  EXPECT_EQ(load_error(file_source(path)), "cipher-x: key version 1: key file " + path + ": too large to hold one key");
}

TEST(Keyring, TriesTheCurrentVersionFirstThenTheRestNewestFirst) {
  setenv("VIGIL_TEST_K1", vigil::test::random_hex_key().c_str(), 1);
  setenv("VIGIL_TEST_K2", vigil::test::random_hex_key().c_str(), 1);
  setenv("VIGIL_TEST_K3", vigil::test::random_hex_key().c_str(), 1);
  vigil::keyring::Keyring keys(
      parse(R"({"keys":[{"version":1,"env":"VIGIL_TEST_K1"},{"version":2,"env":"VIGIL_TEST_K2"},)"
            R"({"version":3,"env":"VIGIL_TEST_K3"}],"current":2})"),
      "cipher-x");
  EXPECT_EQ(keys.current_version(), 2u);
  EXPECT_EQ(keys.trial_order(), (std::vector<uint32_t>{2, 3, 1}));
  EXPECT_EQ(keys.versions_text(), "1, 2, 3");
  EXPECT_NE(keys.find(3), nullptr);
  EXPECT_EQ(keys.find(4), nullptr);
}
