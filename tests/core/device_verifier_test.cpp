// DeviceVerifier with a real HMAC (libsodium, as the hosts inject it) and a
// device table standing in for the workflow's device_secret.
#include "core/app/device_verifier.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <atomic>
#include <map>

#include "core/plugins/component.hpp"

using vigil::core::DeviceVerifier;

namespace {

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  char hex[2 * sizeof mac + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return hex;
}

struct Device {
  std::string secret;
  bool active;
};

const std::string kMessage = "GET\n/api/v1/client/poll\n\n1700000000000\nnonce-0000000001\n" + std::string(64, 'e');

class DeviceVerification : public ::testing::Test {
 protected:
  DeviceVerification() {
    devices_["dev_live"] = {std::string(64, 'a'), true};
    devices_["dev_gone"] = {std::string(64, 'b'), false};
  }

  // Like Workflow::device_secret: nullopt for an unknown or inactive device.
  std::optional<std::string> secret_of(const std::string& id) {
    auto it = devices_.find(id);
    if (it == devices_.end() || !it->second.active) return std::nullopt;
    return it->second.secret;
  }

  DeviceVerifier verifier() {
    return DeviceVerifier([this](const std::string& id) { return secret_of(id); },
                          [this](std::string_view key, std::string_view message) {
                            ++hmacs_;
                            key_sizes_.push_back(key.size());
                            return hmac_sha256_hex(key, message);
                          });
  }

  std::map<std::string, Device> devices_;
  std::atomic<int> hmacs_{0};
  std::vector<size_t> key_sizes_;
};

}  // namespace

TEST_F(DeviceVerification, AcceptsTheSignatureOfAnActiveDevice) {
  auto verdict = verifier().verify("dev_live", kMessage, hmac_sha256_hex(std::string(64, 'a'), kMessage));
  EXPECT_EQ(verdict.status, VIGIL_OK);
  EXPECT_EQ(verdict.message, "");
}

TEST_F(DeviceVerification, RefusesAnUnknownDeviceAnInactiveOneAndABadSignatureAlike) {
  DeviceVerifier v = verifier();
  auto unknown = v.verify("dev_ghost", kMessage, hmac_sha256_hex(std::string(64, 'c'), kMessage));
  auto inactive = v.verify("dev_gone", kMessage, hmac_sha256_hex(std::string(64, 'b'), kMessage));
  auto bad = v.verify("dev_live", kMessage, hmac_sha256_hex(std::string(64, 'b'), kMessage));
  for (const auto* verdict : {&unknown, &inactive, &bad}) {
    EXPECT_EQ(verdict->status, VIGIL_UNAUTHENTICATED);
    EXPECT_EQ(verdict->message, DeviceVerifier::kRefusal);
  }
}

TEST_F(DeviceVerification, AnUnknownDeviceCostsOneHmacWithAKeyOfASecretsLength) {
  DeviceVerifier v = verifier();
  v.verify("dev_live", kMessage, std::string(64, '0'));
  v.verify("dev_ghost", kMessage, std::string(64, '0'));
  v.verify("dev_gone", kMessage, std::string(64, '0'));
  EXPECT_EQ(hmacs_, 3);
  EXPECT_EQ(key_sizes_, (std::vector<size_t>{64, 64, 64}));
}

TEST_F(DeviceVerification, ASignatureMadeWithTheDummySecretDoesNotAdmitAnUnknownDevice) {
  std::string dummy(64, '0');
  auto verdict = verifier().verify("dev_ghost", kMessage, hmac_sha256_hex(dummy, kMessage));
  EXPECT_EQ(verdict.status, VIGIL_UNAUTHENTICATED);
}

TEST_F(DeviceVerification, RefusesASignatureOfAnotherLengthOrCase) {
  DeviceVerifier v = verifier();
  std::string good = hmac_sha256_hex(std::string(64, 'a'), kMessage);
  EXPECT_EQ(v.verify("dev_live", kMessage, good.substr(0, 63)).status, VIGIL_UNAUTHENTICATED);
  EXPECT_EQ(v.verify("dev_live", kMessage, good + "0").status, VIGIL_UNAUTHENTICATED);
  EXPECT_EQ(v.verify("dev_live", kMessage, "").status, VIGIL_UNAUTHENTICATED);
  std::string upper = good;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ASSERT_NE(upper, good);
  EXPECT_EQ(v.verify("dev_live", kMessage, upper).status, VIGIL_UNAUTHENTICATED);
}

TEST_F(DeviceVerification, AStoreThatCannotAnswerIsUnavailableNotARefusal) {
  DeviceVerifier v(
      [](const std::string&) -> std::optional<std::string> {
        throw vigil::core::ComponentError(VIGIL_UNAVAILABLE, "store-sqlite: database is locked");
      },
      hmac_sha256_hex);
  auto verdict = v.verify("dev_live", kMessage, std::string(64, '0'));
  EXPECT_EQ(verdict.status, VIGIL_UNAVAILABLE);
  EXPECT_NE(verdict.message, DeviceVerifier::kRefusal);
}

TEST_F(DeviceVerification, AnyOtherFailureIsInternalWithItsMessage) {
  DeviceVerifier v([](const std::string&) -> std::optional<std::string> { throw std::runtime_error("cipher broke"); },
                   hmac_sha256_hex);
  auto verdict = v.verify("dev_live", kMessage, std::string(64, '0'));
  EXPECT_EQ(verdict.status, VIGIL_INTERNAL);
  EXPECT_EQ(verdict.message, "cipher broke");
}
