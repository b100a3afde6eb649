// The Fernet specification's own vectors (tests/vectors/fernet) against the
// pure Fernet functions, each with the verifier clock the vector gives.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "fernet.hpp"
#include "key_text.hpp"
#include "vigil/cpp/iso_time.hpp"

using vigil::fernet::FernetError;
using Json = nlohmann::json;

namespace {

Json vectors(const std::string& name) {
  std::ifstream in(std::string(VIGIL_SOURCE_DIR) + "/tests/vectors/fernet/" + name + ".json");
  if (!in) throw std::runtime_error("cannot open the " + name + " vectors");
  return Json::parse(in);
}

// "1985-10-26T01:20:01-07:00" as unix seconds.
int64_t unix_seconds(const std::string& text) {
  int y, mo, d, h, mi, s, oh, om;
  char sign;
  if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d%c%d:%d", &y, &mo, &d, &h, &mi, &s, &sign, &oh, &om) != 9)
    throw std::runtime_error("unexpected time in a vector: " + text);
  int64_t local = vigil::sdk::detail::days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
                  h * 3600 + mi * 60 + s;
  int64_t offset = (oh * 3600 + om * 60) * (sign == '-' ? -1 : 1);
  return local - offset;
}

struct Secret {
  unsigned char bytes[32];
  vigil::fernet::Key key() const { return vigil::fernet::Key(bytes, 32); }
};

Secret secret(const Json& vector) {
  Secret s;
  vigil::keyring::decode_key_text(vector["secret"].get<std::string>(), s.bytes, "vector secret");
  return s;
}

}  // namespace

TEST(FernetVectors, TheClockHelperReadsTheSpecsTimes) {
  EXPECT_EQ(unix_seconds("1985-10-26T01:20:00-07:00"), 499162800);
  EXPECT_EQ(unix_seconds("1970-01-01T00:00:00+00:00"), 0);
}

TEST(FernetVectors, GenerateMakesExactlyTheSpecsTokens) {
  Json all = vectors("generate");
  ASSERT_FALSE(all.empty());
  for (const Json& v : all) {
    unsigned char iv[16];
    for (size_t i = 0; i < 16; ++i) iv[i] = v["iv"][i].get<unsigned char>();
    std::string token =
        vigil::fernet::encrypt(secret(v).key(), v["src"].get<std::string>(),
                               static_cast<uint64_t>(unix_seconds(v["now"])), vigil::fernet::Iv(iv, 16));
    EXPECT_EQ(token, v["token"].get<std::string>());
  }
}

TEST(FernetVectors, VerifyRecoversTheSpecsPlaintexts) {
  Json all = vectors("verify");
  ASSERT_FALSE(all.empty());
  for (const Json& v : all) {
    std::string plaintext = vigil::fernet::decrypt(secret(v).key(), v["token"].get<std::string>(),
                                                   unix_seconds(v["now"]), v["ttl_sec"].get<uint64_t>());
    EXPECT_EQ(plaintext, v["src"].get<std::string>());
  }
}

TEST(FernetVectors, EveryInvalidTokenIsRefusedForItsOwnReason) {
  // What each of the spec's invalid cases must be refused as.
  const std::map<std::string, FernetError::Kind> expected = {
      {"incorrect mac", FernetError::Kind::unauthentic},
      {"too short", FernetError::Kind::malformed},
      {"invalid base64", FernetError::Kind::malformed},
      {"payload size not multiple of block size", FernetError::Kind::malformed},
      {"payload padding error", FernetError::Kind::bad_padding},
      {"far-future TS (unacceptable clock skew)", FernetError::Kind::future},
      {"expired TTL", FernetError::Kind::expired},
      {"incorrect IV (causes padding error)", FernetError::Kind::bad_padding},
  };
  Json all = vectors("invalid");
  ASSERT_EQ(all.size(), expected.size());
  for (const Json& v : all) {
    std::string desc = v["desc"];
    SCOPED_TRACE(desc);
    ASSERT_TRUE(expected.count(desc)) << "a vector this test does not know";
    try {
      vigil::fernet::decrypt(secret(v).key(), v["token"].get<std::string>(), unix_seconds(v["now"]),
                             v["ttl_sec"].get<uint64_t>());
      ADD_FAILURE() << "accepted";
    } catch (const FernetError& e) {
      EXPECT_EQ(e.kind(), expected.at(desc)) << e.what();
    }
  }
}

TEST(FernetVectors, TheVerifyVectorIsRefusedOnceItsTtlHasPassed) {
  const Json v = vectors("verify")[0];
  int64_t made = unix_seconds(v["now"]) - 1;  // the vector is verified one second after it was made
  EXPECT_NO_THROW(vigil::fernet::decrypt(secret(v).key(), v["token"].get<std::string>(), made + 60, 60));
  EXPECT_THROW(vigil::fernet::decrypt(secret(v).key(), v["token"].get<std::string>(), made + 61, 60), FernetError);
  EXPECT_NO_THROW(vigil::fernet::decrypt(secret(v).key(), v["token"].get<std::string>(), made + 1000000, 0));
}

TEST(FernetVectors, ATokenUpToSixtySecondsAheadOfTheClockIsAcceptedAndNoFurther) {
  const Json v = vectors("verify")[0];
  int64_t made = unix_seconds(v["now"]) - 1;
  EXPECT_NO_THROW(vigil::fernet::decrypt(secret(v).key(), v["token"].get<std::string>(), made - 60, 0));
  try {
    vigil::fernet::decrypt(secret(v).key(), v["token"].get<std::string>(), made - 61, 0);
    ADD_FAILURE() << "accepted a token 61 s ahead of the clock";
  } catch (const FernetError& e) {
    EXPECT_EQ(e.kind(), FernetError::Kind::future);
  }
}
