// The signer against fixed vectors. The expected signatures were computed
// once outside this code, with Python's standard library:
//   secret = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
//   s = "\n".join([METHOD, PATH, QUERY, "1700000000000", "nonce-0123456789_AB",
//                  hashlib.sha256(BODY.encode()).hexdigest()])
//   hmac.new(secret.encode(), s.encode(), hashlib.sha256).hexdigest()
// and the GET vector again with `openssl dgst -sha256 -hmac SECRET` (same
// answer). The key is the secret's 64 ASCII characters, as the contract says.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <future>
#include <set>
#include <string>
#include <vector>

#include "examples/ea-client/signer.hpp"

namespace vigil::ea {
namespace {

constexpr const char* kSecret = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
constexpr int64_t kTimestamp = 1700000000000;
constexpr const char* kNonce = "nonce-0123456789_AB";

TEST(EaClientSigner, HashesTheEmptyBodyAsTheSha256OfNothing) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(EaClientSigner, SignsAPostWithABodyAsComputedByPython) {
  std::string body = R"({"position_id":"pos_1","status":"executed"})";
  SignedHeaders headers = sign({"POST", "/api/v1/client/ack", "", body}, "dev_1", kSecret, kTimestamp, kNonce);
  EXPECT_EQ(headers.signature, "01be90979012c25e9faa9c6f458a385b6b1870fcdd34c57c7ecc222985fa6c0f");
  EXPECT_EQ(headers.timestamp, "1700000000000");
  EXPECT_EQ(headers.device_id, "dev_1");
}

TEST(EaClientSigner, SignsALongPollWithItsRawQueryAsComputedByPythonAndOpenssl) {
  SignedHeaders headers =
      sign({"GET", "/api/v1/client/close-commands", "wait=5", ""}, "dev_1", kSecret, kTimestamp, kNonce);
  EXPECT_EQ(headers.signature, "7a83a3c7819c0034faf51d8bd0be342e9fc7f52098c11c00308e64b834ce9b47");
}

TEST(EaClientSigner, BuildsTheStringToSignLineByLine) {
  EXPECT_EQ(string_to_sign("GET", "/p", "a=1", "5", "n", ""),
            "GET\n/p\na=1\n5\nn\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(EaClientSigner, ChangesTheSignatureWhenAnyPartChanges) {
  std::string base = sign({"GET", "/p", "", ""}, "d", kSecret, kTimestamp, kNonce).signature;
  EXPECT_NE(sign({"GET", "/p", "wait=1", ""}, "d", kSecret, kTimestamp, kNonce).signature, base);
  EXPECT_NE(sign({"GET", "/p", "", ""}, "d", kSecret, kTimestamp + 1, kNonce).signature, base);
  EXPECT_NE(sign({"GET", "/p", "", ""}, "d", std::string(64, '0'), kTimestamp, kNonce).signature, base);
}

TEST(EaClientSigner, SignsWithEachKeyInTurnAndOnManyThreadsAtOnce) {
  // Each thread keeps one HMAC context and re-keys it per call: a key must
  // never carry over to the next message, on any thread.
  auto sign_both = [] {
    for (int i = 0; i < 200; ++i) {
      if (sign({"GET", "/api/v1/client/close-commands", "wait=5", ""}, "dev_1", kSecret, kTimestamp, kNonce)
              .signature != "7a83a3c7819c0034faf51d8bd0be342e9fc7f52098c11c00308e64b834ce9b47")
        return false;
      if (sign({"GET", "/api/v1/client/close-commands", "wait=5", ""}, "dev_2", std::string(64, '0'), kTimestamp,
               kNonce)
              .signature == "7a83a3c7819c0034faf51d8bd0be342e9fc7f52098c11c00308e64b834ce9b47")
        return false;
    }
    return true;
  };
  std::vector<std::future<bool>> threads;
  for (int t = 0; t < 4; ++t) threads.push_back(std::async(std::launch::async, sign_both));
  for (auto& t : threads) EXPECT_TRUE(t.get());
}

TEST(EaClientSigner, NeverRepeatsANonceAcrossManyDraws) {
  std::set<std::string> seen;
  for (int i = 0; i < 10'000; ++i) ASSERT_TRUE(seen.insert(random_nonce()).second) << i;
}

TEST(EaClientSigner, GivesAForkedChildOtherNoncesThanItsParent) {
  random_nonce();  // this thread's pool holds bytes a child would inherit
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::string nonce = random_nonce();
    _exit(write(fds[1], nonce.data(), nonce.size()) == static_cast<ssize_t>(nonce.size()) ? 0 : 1);
  }
  close(fds[1]);
  std::string parent = random_nonce();
  char text[32];
  ASSERT_EQ(read(fds[0], text, sizeof text), static_cast<ssize_t>(sizeof text));
  close(fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_NE(std::string(text, sizeof text), parent);
}

TEST(EaClientSigner, MakesFreshNoncesTheServerAccepts) {
  std::string a = random_nonce(), b = random_nonce();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
}

}  // namespace
}  // namespace vigil::ea
