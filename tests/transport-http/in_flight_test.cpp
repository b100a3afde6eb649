// transport-http's count of requests in flight, which stop() drains.
#include "plugins/transport-http/in_flight.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

using namespace std::chrono_literals;
using vigil::http::InFlight;

TEST(TransportHttpInFlight, DrainsAtOnceWhenNothingIsInFlight) {
  InFlight in_flight;
  EXPECT_TRUE(in_flight.drain(0ms));
}

TEST(TransportHttpInFlight, DrainWaitsForTheLastRequestToLeave) {
  InFlight in_flight;
  ASSERT_TRUE(in_flight.enter());
  std::thread finisher([&] {
    std::this_thread::sleep_for(50ms);
    in_flight.leave();
  });
  EXPECT_TRUE(in_flight.drain(5000ms));
  finisher.join();
}

TEST(TransportHttpInFlight, DrainGivesUpAfterItsTimeout) {
  InFlight in_flight;
  ASSERT_TRUE(in_flight.enter());
  EXPECT_FALSE(in_flight.drain(20ms));
}

TEST(TransportHttpInFlight, RefusesNewRequestsWhileDrainingUntilReopened) {
  InFlight in_flight;
  in_flight.drain(0ms);
  EXPECT_FALSE(in_flight.enter());
  in_flight.reopen();
  EXPECT_TRUE(in_flight.enter());
}
