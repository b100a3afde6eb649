#include "core/support/json_fields.hpp"

#include <gtest/gtest.h>

using vigil::core::JsonError;
using vigil::core::JsonField;
using vigil::core::parse_json_fields;

TEST(JsonFields, KeepsNumbersAsWritten) {
  auto fields = parse_json_fields(R"({"a":1.1,"b":1.10000,"c":42,"d":-7,"e":"1.1"})");
  EXPECT_EQ(fields["a"].text, "1.1");
  EXPECT_EQ(fields["b"].text, "1.10000");
  EXPECT_EQ(fields["c"].text, "42");
  EXPECT_EQ(fields["d"].text, "-7");
  EXPECT_EQ(fields["e"].kind, JsonField::Kind::string);
  EXPECT_EQ(fields["a"].kind, JsonField::Kind::number);
}

TEST(JsonFields, RecordsNestedValuesByKindOnly) {
  auto fields = parse_json_fields(R"({"payload":{"x":[1,2]},"list":[{"y":1}],"n":null,"t":true})");
  EXPECT_EQ(fields["payload"].kind, JsonField::Kind::object);
  EXPECT_EQ(fields["list"].kind, JsonField::Kind::array);
  EXPECT_EQ(fields["n"].kind, JsonField::Kind::null);
  EXPECT_EQ(fields["t"].text, "true");
  EXPECT_EQ(fields.count("x"), 0u);
}

TEST(JsonFields, RefusesDuplicatesNonObjectsAndMalformedText) {
  EXPECT_THROW(parse_json_fields(R"({"a":1,"a":2})"), JsonError);
  EXPECT_THROW(parse_json_fields("[1,2]"), JsonError);
  EXPECT_THROW(parse_json_fields("42"), JsonError);
  EXPECT_THROW(parse_json_fields(R"({"a":)"), JsonError);
  EXPECT_THROW(parse_json_fields(""), JsonError);
}

TEST(JsonFields, SaysWhereMalformedJsonBreaks) {
  try {
    parse_json_fields(R"({"a":1,})");
    FAIL();
  } catch (const JsonError& e) {
    EXPECT_NE(std::string(e.what()).find("byte"), std::string::npos) << e.what();
  }
}
