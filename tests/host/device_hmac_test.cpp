// The hosts' HMAC-SHA256 against RFC 4231 and a device-shaped key.
#include "hosts/common/device_hmac.hpp"

#include <gtest/gtest.h>

using vigil::host::hmac_sha256_hex;

TEST(DeviceHmac, MatchesRfc4231TestCase2WithAShortTextKey) {
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(DeviceHmac, MatchesRfc4231TestCase6WithAKeyLongerThanABlock) {
  EXPECT_EQ(hmac_sha256_hex(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}
