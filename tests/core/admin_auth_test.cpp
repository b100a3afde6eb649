#include "core/app/admin_auth.hpp"

#include <gtest/gtest.h>

using namespace vigil::core;

namespace {

const char* kToken = "admin-token-0123456789";

AdminAuth open_auth() {
  AdminAuth auth;
  auth.set_token(kToken);
  return auth;
}

}  // namespace

TEST(AdminAuth, IsClosedWithoutATokenWhateverTheCallerSends) {
  AdminAuth auth;
  EXPECT_FALSE(auth.open());
  auto refusal = auth.check(R"({"bearer":""})");
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->code, "admin_api_closed");
}

TEST(AdminAuth, AllowsTheConfiguredToken) {
  EXPECT_EQ(open_auth().check(R"({"bearer":"admin-token-0123456789"})"), std::nullopt);
}

TEST(AdminAuth, RefusesAWrongTokenAsNotValid) {
  auto refusal = open_auth().check(R"({"bearer":"admin-token-0123456780"})");
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->code, "unauthenticated");
  EXPECT_EQ(refusal->message, "The bearer token is not valid.");
}

TEST(AdminAuth, RefusesAMissingBearerOrParamsThatAreNotJsonAsMissing) {
  for (const char* params : {"{}", "", "not json"}) {
    auto refusal = open_auth().check(params);
    ASSERT_TRUE(refusal) << params;
    EXPECT_EQ(refusal->message, "Missing Authorization: Bearer token.");
  }
}

TEST(AdminAuth, RefusesAPrefixOrAnExtensionOfTheToken) {
  EXPECT_TRUE(open_auth().check(R"({"bearer":"admin-token-012345678"})"));
  EXPECT_TRUE(open_auth().check(R"({"bearer":"admin-token-0123456789x"})"));
}

TEST(AdminAuth, TheConstantTimeCompareIsEqualityWhateverTheLengths) {
  EXPECT_TRUE(equal_in_constant_time("secret", "secret"));
  EXPECT_TRUE(equal_in_constant_time("", ""));
  EXPECT_FALSE(equal_in_constant_time("secre", "secret"));
  EXPECT_FALSE(equal_in_constant_time("secrets", "secret"));
  EXPECT_FALSE(equal_in_constant_time("", "secret"));
  EXPECT_FALSE(equal_in_constant_time(std::string_view("secret\0", 7), "secret"));
  EXPECT_FALSE(equal_in_constant_time("secreT", "secret"));
}
