// transport-http's limits on open connections, in all and per source address.
#include "plugins/transport-http/connection_limits.hpp"

#include <gtest/gtest.h>

#include <boost/asio/ip/address.hpp>
#include <utility>
#include <vector>

using boost::asio::ip::make_address;
using vigil::http::Admission;
using vigil::http::ConnectionLimits;
using vigil::http::ConnectionRefusal;
using vigil::http::ConnectionSlot;
using vigil::http::refusal_label;

TEST(TransportHttpConnectionLimits, RefusesASourcePastItsLimitAndServesAnother) {
  ConnectionLimits limits(10, 2, 4);
  Admission first = limits.admit(make_address("10.0.0.1"));
  Admission second = limits.admit(make_address("10.0.0.1"));
  Admission third = limits.admit(make_address("10.0.0.1"));
  EXPECT_TRUE(first.slot && second.slot);
  EXPECT_FALSE(third.slot);
  EXPECT_EQ(third.refusal, ConnectionRefusal::per_source);
  EXPECT_TRUE(limits.admit(make_address("10.0.0.2")).slot);  // destroyed at once: released
  EXPECT_EQ(limits.open(), 2u);
}

TEST(TransportHttpConnectionLimits, RefusesEverySourcePastTheTotal) {
  ConnectionLimits limits(3, 2, 4);
  std::vector<ConnectionSlot> held;
  for (const char* source : {"10.0.0.1", "10.0.0.2", "10.0.0.3"})
    held.push_back(std::move(limits.admit(make_address(source)).slot));
  Admission refused = limits.admit(make_address("10.0.0.4"));
  EXPECT_FALSE(refused.slot);
  EXPECT_EQ(refused.refusal, ConnectionRefusal::total);
  EXPECT_EQ(limits.open(), 3u);
}

TEST(TransportHttpConnectionLimits, AClosedConnectionFreesItsPlace) {
  ConnectionLimits limits(10, 1, 4);
  {
    ConnectionSlot slot = std::move(limits.admit(make_address("192.0.2.7")).slot);
    EXPECT_FALSE(limits.admit(make_address("192.0.2.7")).slot);
    EXPECT_EQ(limits.open(), 1u);
  }
  EXPECT_EQ(limits.open(), 0u);
  EXPECT_TRUE(limits.admit(make_address("192.0.2.7")).slot);
}

TEST(TransportHttpConnectionLimits, AMovedSlotIsReleasedOnce) {
  ConnectionLimits limits(10, 2, 4);
  ConnectionSlot a = std::move(limits.admit(make_address("10.0.0.1")).slot);
  ConnectionSlot b = std::move(a);
  EXPECT_FALSE(a);
  EXPECT_TRUE(b);
  ConnectionSlot c = std::move(limits.admit(make_address("10.0.0.1")).slot);
  c = std::move(b);  // c's own place is released, b's carried over
  EXPECT_EQ(limits.open(), 1u);
  c = ConnectionSlot();
  EXPECT_EQ(limits.open(), 0u);
}

TEST(TransportHttpConnectionLimits, AnIpv4SourceAndItsMappedIpv6FormAreOneSource) {
  ConnectionLimits limits(10, 1, 4);
  ConnectionSlot held = std::move(limits.admit(make_address("127.0.0.1")).slot);
  Admission mapped = limits.admit(make_address("::ffff:127.0.0.1"));
  EXPECT_FALSE(mapped.slot);
  EXPECT_EQ(mapped.refusal, ConnectionRefusal::per_source);
  EXPECT_TRUE(limits.admit(make_address("::1")).slot);
}

TEST(TransportHttpConnectionLimits, TheRefusalBudgetIsBoundedAndApartFromTheOpenCount) {
  ConnectionLimits limits(1, 1, 2);
  ConnectionSlot r1 = limits.refusing();
  ConnectionSlot r2 = limits.refusing();
  EXPECT_TRUE(r1 && r2);
  EXPECT_FALSE(limits.refusing());
  EXPECT_EQ(limits.open(), 0u);
  r1 = ConnectionSlot();
  EXPECT_TRUE(limits.refusing());
}

TEST(TransportHttpConnectionLimits, LabelsEachRefusalForTheMetric) {
  EXPECT_EQ(refusal_label(ConnectionRefusal::total), "total");
  EXPECT_EQ(refusal_label(ConnectionRefusal::per_source), "per_source");
}
