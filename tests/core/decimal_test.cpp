#include "vigil/cpp/decimal.hpp"

#include <gtest/gtest.h>

using vigil::sdk::DecimalError;
using vigil::sdk::format_decimal;
using vigil::sdk::parse_decimal;

TEST(Decimal, ReadsShortAndPaddedFormsAsTheSamePrice) {
  EXPECT_EQ(parse_decimal("1.1", 5).value, 110000);
  EXPECT_EQ(parse_decimal("1.10000", 5).value, 110000);
  EXPECT_EQ(parse_decimal("1290", 3).value, 1290000);
  EXPECT_EQ(parse_decimal("1290.3", 3).value, 1290300);
}

TEST(Decimal, AcceptsTrailingZerosBeyondTheDigitsBecauseTheValueIsExact) {
  EXPECT_EQ(parse_decimal("1.100000", 5).value, 110000);
}

TEST(Decimal, RefusesASignificantDecimalBeyondTheDigitsInsteadOfRounding) {
  auto parsed = parse_decimal("1.123456", 5);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(*parsed.error, DecimalError::too_many_decimals);
}

TEST(Decimal, RefusesTextThatIsNotADecimalNumber) {
  for (const char* text : {"abc", "1.2.3", "1e5", ".", "-", "1,5", " 1.1", "0x10"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(parse_decimal(text, 5).ok());
  }
  EXPECT_EQ(*parse_decimal("", 5).error, DecimalError::empty);
}

TEST(Decimal, ReadsSignsAndLeadingOrTrailingPoints) {
  EXPECT_EQ(parse_decimal("-0.5", 2).value, -50);
  EXPECT_EQ(parse_decimal(".5", 2).value, 50);
  EXPECT_EQ(parse_decimal("5.", 2).value, 500);
}

TEST(Decimal, RefusesValuesThatOverflowSixtyFourBits) {
  EXPECT_EQ(*parse_decimal("99999999999999999999", 0).error, DecimalError::out_of_range);
  EXPECT_EQ(*parse_decimal("92233720368547758", 5).error, DecimalError::out_of_range);
}

TEST(Decimal, FormatsWithExactlyTheInstrumentsDigits) {
  EXPECT_EQ(format_decimal(110000, 5), "1.10000");
  EXPECT_EQ(format_decimal(5, 3), "0.005");
  EXPECT_EQ(format_decimal(-50, 2), "-0.50");
  EXPECT_EQ(format_decimal(1290, 0), "1290");
}

TEST(Decimal, RoundTripsThroughText) {
  for (int64_t v : {int64_t{0}, int64_t{1}, int64_t{99999}, int64_t{123456789}, int64_t{-42}})
    EXPECT_EQ(parse_decimal(format_decimal(v, 5), 5).value, v);
}
