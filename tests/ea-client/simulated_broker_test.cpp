#include <gtest/gtest.h>

#include "examples/ea-client/simulated_broker.hpp"

namespace vigil::ea {
namespace {

TEST(SimulatedBroker, FillsEntriesWithSlippageAgainstTheTrader) {
  SimulatedBroker broker({3, 1, 0});
  EXPECT_EQ(broker.open("buy", "1", "1.10000").price, "1.10003");
  EXPECT_EQ(broker.open("sell", "1", "1.10000").price, "1.09997");
}

TEST(SimulatedBroker, ClosesWithSlippageAgainstTheTrader) {
  SimulatedBroker broker({2, 1, 0});
  EXPECT_EQ(broker.close("buy", "1.09000").price, "1.08998");   // closing a buy sells lower
  EXPECT_EQ(broker.close("sell", "1.09000").price, "1.09002");  // closing a sell buys higher
}

TEST(SimulatedBroker, FillsThePartOfTheVolumeItWasToldRoundedToTheLotStep) {
  SimulatedBroker broker({0, 0.5, 0});
  EXPECT_EQ(broker.open("buy", "2", "1.1").volume, "1.00");
  EXPECT_EQ(broker.open("buy", "0.01", "1.1").volume, "0.01");  // never nothing
  EXPECT_EQ(broker.open("buy", "0.75", "1.1").volume, "0.37");
}

TEST(SimulatedBroker, GivesEachFillItsOwnTicketAbove32Bits) {
  SimulatedBroker broker({0, 1, 0});
  std::string a = broker.open("buy", "1", "1.1").ticket, b = broker.open("buy", "1", "1.1").ticket;
  EXPECT_NE(a, b);
  EXPECT_GT(std::stoull(a), 4294967295ull);
}

TEST(SimulatedBroker, FailsEveryNthClose) {
  SimulatedBroker broker({0, 1, 3});
  std::string outcomes;
  for (int i = 0; i < 6; ++i) outcomes += broker.close("buy", "1.1").executed ? 'x' : 'F';
  EXPECT_EQ(outcomes, "xxFxxF");
}

TEST(SimulatedBroker, RejectsAMarketOrderItHasNoQuoteFor) {
  SimulatedBroker broker({0, 1, 0});
  Fill fill = broker.open("buy", "1", "");
  EXPECT_FALSE(fill.executed);
  EXPECT_NE(fill.error.find("no quote"), std::string::npos);
}

}  // namespace
}  // namespace vigil::ea
