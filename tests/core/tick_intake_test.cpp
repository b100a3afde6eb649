#include "core/app/tick_intake.hpp"

#include <gtest/gtest.h>

#include <cstring>

using namespace vigil::core;

namespace {

vigil_tick tick(const char* instrument, const char* bid, const char* ask) {
  return {sizeof(vigil_tick), {instrument, strlen(instrument)}, {bid, strlen(bid)}, {ask, strlen(ask)}, 1000, 7};
}

std::string refusal(const Instruments& instruments, const vigil_tick& t) {
  try {
    parse_tick(instruments, t);
  } catch (const TickRejected& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(TickIntake, ParsesPricesWithTheInstrumentsDigits) {
  Instruments instruments;
  instruments.add("EURUSD", 5);
  ParsedTick t = parse_tick(instruments, tick("EURUSD", "1.1", "1.10002"));
  EXPECT_EQ(*t.bid, 110000);
  EXPECT_EQ(*t.ask, 110002);
  EXPECT_EQ(t.sequence, 7);
}

TEST(TickIntake, TreatsAnEmptySideAsUnchanged) {
  Instruments instruments;
  instruments.add("EURUSD", 5);
  ParsedTick t = parse_tick(instruments, tick("EURUSD", "", "1.2"));
  EXPECT_FALSE(t.bid);
  EXPECT_EQ(*t.ask, 120000);
}

TEST(TickIntake, NamesTheFieldItRefuses) {
  Instruments instruments;
  instruments.add("EURUSD", 5);
  EXPECT_EQ(refusal(instruments, tick("EURUSD", "1.123456", "1.2")),
            "field 'bid': '1.123456' has more decimals than the 5 digits of EURUSD");
  EXPECT_EQ(refusal(instruments, tick("EURUSD", "1.1", "x")), "field 'ask': 'x' is not a decimal number");
  EXPECT_EQ(refusal(instruments, tick("EURUSD", "0", "1.1")), "field 'bid': '0' is not a positive price");
  EXPECT_EQ(refusal(instruments, tick("GBPJPY", "1", "1")),
            "field 'instrument': unknown instrument 'GBPJPY' (add it to the config's instruments)");
}
