#include "core/workflow/field_text.hpp"

#include <gtest/gtest.h>

#include <functional>

namespace vigil::core {
namespace {

std::string refusal(const std::function<void()>& read) {
  try {
    read();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), VIGIL_INVALID_ARGUMENT);
    return e.what();
  }
  return "no refusal";
}

TEST(FieldText, ARequiredTextMustBePresentAndNotEmpty) {
  EXPECT_EQ(required_text("broker_ticket", std::string("T1")), "T1");
  EXPECT_EQ(refusal([] { required_text("broker_ticket", std::nullopt); }), "field 'broker_ticket': required");
  EXPECT_EQ(refusal([] { required_text("broker_ticket", std::string()); }), "field 'broker_ticket': required");
}

TEST(FieldText, ADecimalIsScaledByTheInstrumentsDigits) {
  EXPECT_EQ(decimal_field("actual_entry_price", std::string("1.1"), 5), 110'000);
  EXPECT_EQ(decimal_field("actual_entry_price", std::nullopt, 5), std::nullopt);
  EXPECT_EQ(required_decimal_field("filled_volume", std::string("0.5"), 8), 50'000'000);
}

TEST(FieldText, ADecimalWithTooManyDigitsIsRefusedNamingTheFieldAndTheLimit) {
  std::string why = refusal([] { decimal_field("actual_close_price", std::string("1.123456"), 5); });
  EXPECT_NE(why.find("field 'actual_close_price': '1.123456'"), std::string::npos) << why;
  EXPECT_NE(why.find("at most 5 decimals"), std::string::npos) << why;
}

TEST(FieldText, AnAbsentRequiredDecimalIsRefused) {
  EXPECT_EQ(refusal([] { required_decimal_field("filled_volume", std::nullopt, 8); }),
            "field 'filled_volume': required");
}

}  // namespace
}  // namespace vigil::core
