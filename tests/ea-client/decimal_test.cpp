#include <gtest/gtest.h>

#include <stdexcept>

#include "examples/ea-client/decimal.hpp"

namespace vigil::ea {
namespace {

TEST(EaClientDecimal, KeepsTheDigitsItWasWrittenWith) {
  EXPECT_EQ(Decimal::parse("1.10000").str(), "1.10000");
  EXPECT_EQ(Decimal::parse("150.123").str(), "150.123");
  EXPECT_EQ(Decimal::parse("2").str(), "2");
}

TEST(EaClientDecimal, MovesByWholePointsOfTheLastDigit) {
  EXPECT_EQ(Decimal::parse("1.10000").plus_points(3).str(), "1.10003");
  EXPECT_EQ(Decimal::parse("1.10000").plus_points(-3).str(), "1.09997");
  EXPECT_EQ(Decimal::parse("0.00002").plus_points(-5).str(), "-0.00003");
}

TEST(EaClientDecimal, RefusesWhatIsNotADecimal) {
  EXPECT_THROW(Decimal::parse(""), std::invalid_argument);
  EXPECT_THROW(Decimal::parse("1.2.3"), std::invalid_argument);
  EXPECT_THROW(Decimal::parse("1e5"), std::invalid_argument);
}

}  // namespace
}  // namespace vigil::ea
