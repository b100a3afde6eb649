// transport-http's keep-alive decision.
#include "plugins/transport-http/connection_policy.hpp"

#include <gtest/gtest.h>

using vigil::http::ConnectionAsk;
using vigil::http::keep_alive;

TEST(TransportHttpConnectionPolicy, Http11StaysOpenUnlessTheClientAsksToClose) {
  EXPECT_TRUE(keep_alive(true, true, ConnectionAsk::nothing));
  EXPECT_TRUE(keep_alive(true, true, ConnectionAsk::keep_alive));
  EXPECT_FALSE(keep_alive(true, true, ConnectionAsk::close));
}

TEST(TransportHttpConnectionPolicy, Http10StaysOpenOnlyWhenAsked) {
  EXPECT_FALSE(keep_alive(true, false, ConnectionAsk::nothing));
  EXPECT_TRUE(keep_alive(true, false, ConnectionAsk::keep_alive));
  EXPECT_FALSE(keep_alive(true, false, ConnectionAsk::close));
}

TEST(TransportHttpConnectionPolicy, NothingStaysOpenWhenKeepAliveIsOff) {
  for (bool http_1_1 : {true, false})
    for (auto ask : {ConnectionAsk::nothing, ConnectionAsk::keep_alive, ConnectionAsk::close})
      EXPECT_FALSE(keep_alive(false, http_1_1, ask));
}
