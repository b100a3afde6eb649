// DeviceAuth against a scripted host: what it hands verify_device and
// claim_nonce, how it answers each verdict, and that refused devices leave
// no state behind.
#include "plugins/transport-http/device_auth.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "plugins/transport-http/app_reply.hpp"
#include "plugins/transport-http/signature.hpp"
#include "tests/transport-http/scripted_app.hpp"

using vigil::http::AppClient;
using vigil::http::AuthOptions;
using vigil::http::DeviceAuth;
using vigil::http::HttpReply;
using vigil::http::HttpRequest;
using vigil::test::ClaimScript;
using vigil::test::ReceivedClaim;
using vigil::test::ReceivedVerify;
using vigil::test::ScriptedApp;
using vigil::test::VerifyScript;

namespace {

constexpr int64_t kNow = 1'700'000'000'000;
const std::string kNowText = std::to_string(kNow);
const std::string kSignature(64, 'f');

// Signed as device `device` at kNow with `nonce`; the signature is whatever
// the scripted host decides to accept. The request views its arguments, as
// it views the bytes of a real one.
HttpRequest poll(std::string_view device, std::string_view nonce = "nonce-0000000001") {
  HttpRequest r;
  r.method = "GET";
  r.path = "/api/v1/client/poll";
  r.device = {device, kNowText, nonce, kSignature};
  return r;
}

class DeviceAuthentication : public ::testing::Test {
 protected:
  // The scripted host accepts dev_live only.
  DeviceAuthentication() {
    app_.verify = [](const ReceivedVerify& v) {
      return v.device_id == "dev_live" ? VerifyScript{VIGIL_OK, ""} : VerifyScript{};
    };
  }
  std::optional<std::string_view> authenticate(const HttpRequest& request, HttpReply& refusal) {
    return auth_.authenticate(request, kNow, refusal);
  }

  ScriptedApp app_;
  AppClient client_{app_.table()};
  DeviceAuth auth_{client_,
                   AuthOptions{.window_ms = 30'000, .max_nonces_per_device = 4, .requests_per_second = 1, .burst = 2}};
};

}  // namespace

TEST_F(DeviceAuthentication, HandsTheHostTheStringToSignOfTheContractAndNoOtherCall) {
  HttpRequest r = poll("dev_live");
  r.method = "POST";
  r.path = "/api/v1/client/ack";
  r.query = "a=1";
  r.body = R"({"position_id":"p1"})";
  HttpReply refusal;
  EXPECT_EQ(authenticate(r, refusal), "dev_live");
  auto verifies = app_.verifies();
  ASSERT_EQ(verifies.size(), 1u);
  EXPECT_EQ(verifies[0].device_id, "dev_live");
  EXPECT_EQ(verifies[0].string_to_sign, "POST\n/api/v1/client/ack\na=1\n" + std::to_string(kNow) +
                                            "\nnonce-0000000001\n" + vigil::http::sha256_hex(r.body));
  EXPECT_EQ(verifies[0].signature_hex, kSignature);
  EXPECT_TRUE(app_.calls().empty()) << "the transport asked the host for something else: "
                                    << app_.calls().at(0).operation;
}

TEST_F(DeviceAuthentication, AnUnknownDeviceAnInactiveOneAndABadSignatureGetOneAnswer) {
  // The host words each refusal differently: the answer must not show it.
  app_.verify = [](const ReceivedVerify& v) { return VerifyScript{VIGIL_UNAUTHENTICATED, "refused " + v.device_id}; };
  std::vector<HttpReply> replies;
  for (const char* device : {"dev_ghost", "dev_gone", "dev_live"}) {
    HttpReply refusal;
    EXPECT_EQ(authenticate(poll(device), refusal), std::nullopt) << device;
    replies.push_back(refusal);
  }
  for (const HttpReply& r : replies) {
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.body, replies[0].body);
    EXPECT_EQ(r.retry_after_seconds, 0);
  }
  EXPECT_EQ(nlohmann::json::parse(replies[0].body)["error"]["code"], "unauthenticated");
}

TEST_F(DeviceAuthentication, ARefusedDeviceLeavesNoNonceBehind) {
  app_.verify = [](const ReceivedVerify&) { return VerifyScript{}; };
  HttpReply refusal;
  for (int i = 0; i < 10; ++i) authenticate(poll("dev_live", "nonce-0000000001"), refusal);
  app_.verify = [](const ReceivedVerify&) { return VerifyScript{VIGIL_OK, ""}; };
  EXPECT_EQ(authenticate(poll("dev_live", "nonce-0000000001"), refusal), "dev_live") << refusal.body;
}

TEST_F(DeviceAuthentication, ARefusedDeviceSpendsNoRateBudget) {
  app_.verify = [](const ReceivedVerify&) { return VerifyScript{}; };
  HttpReply refusal;
  for (int i = 0; i < 10; ++i) authenticate(poll("dev_live", "nonce-refused-" + std::to_string(1000 + i)), refusal);
  EXPECT_EQ(refusal.status, 401);
  app_.verify = [](const ReceivedVerify&) { return VerifyScript{VIGIL_OK, ""}; };
  EXPECT_EQ(authenticate(poll("dev_live", "nonce-accepted-01"), refusal), "dev_live") << refusal.body;
}

TEST_F(DeviceAuthentication, AnAcceptedDevicesReplayedNonceIsStillRefused) {
  HttpReply refusal;
  ASSERT_EQ(authenticate(poll("dev_live"), refusal), "dev_live");
  EXPECT_EQ(authenticate(poll("dev_live"), refusal), std::nullopt);
  EXPECT_EQ(refusal.status, 401);
  EXPECT_EQ(nlohmann::json::parse(refusal.body)["error"]["code"], "replayed_nonce");
}

TEST_F(DeviceAuthentication, AHostThatCannotCheckNowIs503) {
  app_.verify = [](const ReceivedVerify&) { return VerifyScript{VIGIL_UNAVAILABLE, "store down"}; };
  HttpReply refusal;
  EXPECT_EQ(authenticate(poll("dev_live"), refusal), std::nullopt);
  EXPECT_EQ(refusal.status, 503);
  EXPECT_EQ(nlohmann::json::parse(refusal.body)["error"]["code"], "unavailable");
  EXPECT_EQ(refusal.body.find("store down"), std::string::npos) << refusal.body;
}

TEST_F(DeviceAuthentication, AHostFailingToCheckIsAnInternalFailureForTheLog) {
  app_.verify = [](const ReceivedVerify&) { return VerifyScript{VIGIL_INTERNAL, "cipher broke"}; };
  HttpReply refusal;
  try {
    authenticate(poll("dev_live"), refusal);
    FAIL() << "no InternalFailure";
  } catch (const vigil::http::InternalFailure& e) {
    EXPECT_EQ(std::string(e.what()), "verify_device: cipher broke");
  }
}

TEST_F(DeviceAuthentication, MalformedOrStaleRequestsNeverReachTheHost) {
  HttpReply refusal;
  HttpRequest no_signature = poll("dev_live");
  no_signature.device.signature = {};
  EXPECT_EQ(authenticate(no_signature, refusal), std::nullopt);
  HttpRequest stale = poll("dev_live");
  const std::string late = std::to_string(kNow - 30'001);
  stale.device.timestamp = late;
  EXPECT_EQ(authenticate(stale, refusal), std::nullopt);
  EXPECT_EQ(nlohmann::json::parse(refusal.body)["error"]["code"], "stale_timestamp");
  EXPECT_TRUE(app_.verifies().empty());
}

TEST_F(DeviceAuthentication, ClaimsAnAcceptedRequestsNonceForTheClusterUntilItsTimestampPlusTheWindow) {
  HttpReply refusal;
  ASSERT_EQ(authenticate(poll("dev_live", "nonce-claimed-0001"), refusal), "dev_live") << refusal.body;
  auto claims = app_.claims();
  ASSERT_EQ(claims.size(), 1u);
  EXPECT_EQ(claims[0].device_id, "dev_live");
  EXPECT_EQ(claims[0].nonce, "nonce-claimed-0001");
  EXPECT_EQ(claims[0].expires_at, kNow + 30'000);
}

TEST_F(DeviceAuthentication, ANonceAnotherHostClaimedIsAReplayAnsweredAsTheLocalOne) {
  HttpReply local;
  ASSERT_EQ(authenticate(poll("dev_live", "nonce-replayed-01"), local), "dev_live");
  ASSERT_EQ(authenticate(poll("dev_live", "nonce-replayed-01"), local), std::nullopt);
  app_.claim = [](const ReceivedClaim&) { return ClaimScript{VIGIL_CONFLICT, "claimed on host b"}; };
  HttpReply elsewhere;
  EXPECT_EQ(authenticate(poll("dev_live", "nonce-fresh-here-01"), elsewhere), std::nullopt);
  EXPECT_EQ(elsewhere.status, 401);
  EXPECT_EQ(elsewhere.body, local.body);
  EXPECT_EQ(nlohmann::json::parse(elsewhere.body)["error"]["code"], "replayed_nonce");
}

TEST_F(DeviceAuthentication, AStoreThatCannotClaimNowIs503WithoutItsMessage) {
  app_.claim = [](const ReceivedClaim&) { return ClaimScript{VIGIL_UNAVAILABLE, "postgres down"}; };
  HttpReply refusal;
  EXPECT_EQ(authenticate(poll("dev_live"), refusal), std::nullopt);
  EXPECT_EQ(refusal.status, 503);
  auto body = nlohmann::json::parse(refusal.body);
  EXPECT_EQ(body["error"]["code"], "unavailable");
  EXPECT_EQ(body["error"].size(), 2u) << refusal.body;
  EXPECT_EQ(refusal.body.find("postgres down"), std::string::npos) << refusal.body;
}

TEST_F(DeviceAuthentication, AHostFailingToClaimIsAnInternalFailureForTheLog) {
  app_.claim = [](const ReceivedClaim&) { return ClaimScript{VIGIL_INTERNAL, "nonce table missing"}; };
  HttpReply refusal;
  try {
    authenticate(poll("dev_live"), refusal);
    FAIL() << "no InternalFailure";
  } catch (const vigil::http::InternalFailure& e) {
    EXPECT_EQ(std::string(e.what()), "claim_nonce: nonce table missing");
  }
}

TEST_F(DeviceAuthentication, ARefusedReplayedOrRateLimitedRequestClaimsNothing) {
  HttpReply refusal;
  app_.verify = [](const ReceivedVerify&) { return VerifyScript{}; };
  authenticate(poll("dev_live", "nonce-refused-0001"), refusal);
  app_.verify = [](const ReceivedVerify&) { return VerifyScript{VIGIL_OK, ""}; };
  ASSERT_EQ(authenticate(poll("dev_live", "nonce-first-00001"), refusal), "dev_live");
  authenticate(poll("dev_live", "nonce-first-00001"), refusal);  // replayed here
  ASSERT_EQ(authenticate(poll("dev_live", "nonce-second-0001"), refusal), "dev_live");
  authenticate(poll("dev_live", "nonce-third-00001"), refusal);  // over the burst of 2
  ASSERT_EQ(refusal.status, 429);
  auto claims = app_.claims();
  ASSERT_EQ(claims.size(), 2u);
  EXPECT_EQ(claims[0].nonce, "nonce-first-00001");
  EXPECT_EQ(claims[1].nonce, "nonce-second-0001");
}

TEST_F(DeviceAuthentication, AHostOlderThanClaimNonceLeavesTheNonceToThisTransport) {
  app_.as_abi_1_2();
  AppClient older{app_.table()};
  DeviceAuth auth{older, AuthOptions{}};
  HttpReply refusal;
  EXPECT_EQ(auth.authenticate(poll("dev_live"), kNow, refusal), "dev_live") << refusal.body;
  EXPECT_EQ(auth.authenticate(poll("dev_live"), kNow, refusal), std::nullopt);
  EXPECT_EQ(nlohmann::json::parse(refusal.body)["error"]["code"], "replayed_nonce");
  EXPECT_TRUE(app_.claims().empty());
}
