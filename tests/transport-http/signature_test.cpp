// The text a device signs, as the transport builds it for the host.
#include "plugins/transport-http/signature.hpp"

#include <gtest/gtest.h>

#include <string>

using vigil::http::kEmptyBodySha256;
using vigil::http::sha256_hex;
using vigil::http::string_to_sign;
using vigil::http::write_string_to_sign;

TEST(TransportHttpSignature, HoldsTheSha256OfAnEmptyBodyAsAConstant) {
  EXPECT_EQ(sha256_hex(""), kEmptyBodySha256);
}

TEST(TransportHttpSignature, BuildsTheStringToSignLineByLineWithTheBodysHash) {
  EXPECT_EQ(string_to_sign("GET", "/p", "a=1", "5", "n", ""), "GET\n/p\na=1\n5\nn\n" + std::string(kEmptyBodySha256));
  // hashlib.sha256(b'{"a":1}').hexdigest()
  EXPECT_EQ(string_to_sign("POST", "/p", "", "5", "n", R"({"a":1})"),
            "POST\n/p\n\n5\nn\n015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862");
}

TEST(TransportHttpSignature, WritesTheSameTextIntoAReusedBuffer) {
  std::string buffer = "left over from a longer request that came before this one";
  write_string_to_sign(buffer, "POST", "/p", "", "5", "n", R"({"a":1})");
  EXPECT_EQ(buffer, string_to_sign("POST", "/p", "", "5", "n", R"({"a":1})"));
  write_string_to_sign(buffer, "GET", "/q", "", "6", "m", "");
  EXPECT_EQ(buffer, string_to_sign("GET", "/q", "", "6", "m", ""));
}
