#include "core/support/json_fields.hpp"

#include <gtest/gtest.h>

#include "vigil/cpp/utf8.hpp"

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

namespace {

// The error parse_json_fields throws for `text`; fails the test when none.
JsonError error_of(std::string_view text) {
  try {
    parse_json_fields(text);
  } catch (const JsonError& e) {
    return e;
  }
  ADD_FAILURE() << "accepted: " << text;
  return JsonError("");
}

std::string with_ticket(std::string_view raw) {
  return R"({"status":"x","broker_ticket":"a)" + std::string(raw) + R"(b"})";
}

}  // namespace

TEST(JsonFields, RefusesEveryKindOfInvalidUtf8NamingTheField) {
  const char* bad[] = {
      "\xff",              // never in UTF-8
      "\xfe",              // never in UTF-8
      "\x80",              // a continuation byte alone
      "\xc0\xaf",          // overlong '/'
      "\xc1\xbf",          // overlong 2-byte
      "\xe0\x80\xaf",      // overlong 3-byte
      "\xf0\x80\x80\xaf",  // overlong 4-byte
      "\xed\xa0\x80",      // U+D800, a surrogate encoded in UTF-8
      "\xed\xbf\xbf",      // U+DFFF
      "\xf4\x90\x80\x80",  // above U+10FFFF
      "\xc3",              // truncated 2-byte
      "\xe2\x82",          // truncated 3-byte
      "\xf0\x9f\x98",      // truncated 4-byte
  };
  for (const char* bytes : bad) {
    JsonError e = error_of(with_ticket(bytes));
    EXPECT_EQ(e.field(), "broker_ticket") << e.what();
    EXPECT_EQ(std::string(e.what()), "field 'broker_ticket': not valid UTF-8");
  }
}

TEST(JsonFields, RefusesNulEscapedOrRaw) {
  JsonError escaped = error_of(R"({"name":"a\u0000b"})");
  EXPECT_EQ(escaped.field(), "name");
  EXPECT_EQ(std::string(escaped.what()), "field 'name': contains a NUL character");
  const char raw_nul[] = "{\"name\":\"a\0b\"}";
  JsonError raw = error_of(std::string(raw_nul, sizeof raw_nul - 1));
  EXPECT_EQ(raw.field(), "name");
  EXPECT_NE(std::string(raw.what()).find("NUL"), std::string::npos) << raw.what();
}

TEST(JsonFields, RefusesLoneSurrogateEscapes) {
  for (const char* escape :
       {R"(\ud800)", R"(\udbff)", R"(\udc00)", R"(\ud800x)", R"(\ud800\u0041)", R"(\udc00\ud800)"}) {
    JsonError e = error_of(with_ticket(escape));
    EXPECT_EQ(e.field(), "broker_ticket") << escape;
    EXPECT_NE(std::string(e.what()).find("lone UTF-16 surrogate"), std::string::npos) << e.what();
  }
}

TEST(JsonFields, AcceptsMultiByteTextAndSurrogatePairs) {
  auto fields = parse_json_fields(R"({"a":"é€𝄞","b":"\ud834\udd1e","c":"\u00e9"})");
  EXPECT_EQ(fields["a"].text, "\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e");
  EXPECT_EQ(fields["b"].text, "\xf0\x9d\x84\x9e");  // U+1D11E from its pair
  EXPECT_EQ(fields["c"].text, "\xc3\xa9");
}

TEST(JsonFields, NamesThePathInsideNestedValues) {
  EXPECT_EQ(error_of("{\"payload\":{\"items\":[{\"ok\":1},{\"comment\":\"\xff\"}]}}").field(),
            "payload.items[1].comment");
  EXPECT_EQ(error_of(R"({"tickets":["1","2\u0000"]})").field(), "tickets[1]");
  EXPECT_EQ(error_of(R"({"rules":{"rule-sltp":{"note":"\udfff"}}})").field(), "rules.rule-sltp.note");
  JsonError nested_key = error_of("{\"payload\":{\"\xff\":1}}");
  EXPECT_EQ(nested_key.field(), "payload");
  EXPECT_EQ(std::string(nested_key.what()), "field 'payload': a key: not valid UTF-8");
  JsonError top_key = error_of(R"({"a\u0000":1})");
  EXPECT_EQ(top_key.field(), "");
  EXPECT_EQ(std::string(top_key.what()), "a key: contains a NUL character");
}

TEST(JsonFields, MessagesNeverCarryTheRawBytes) {
  // Outside a string the parser's own message quotes what it read.
  for (std::string text : {std::string("{\"a\":\xff\xfe}"), std::string("{\"a\":tru\xc3}"), std::string("\xef\xbb")}) {
    JsonError e = error_of(text);
    EXPECT_TRUE(vigil::sdk::is_utf8(e.what())) << e.what();
    for (char c : std::string(e.what())) EXPECT_LT(static_cast<unsigned char>(c), 0x80);
  }
}

TEST(JsonFields, KeepsNestedValuesParsedInTheSamePass) {
  auto fields = parse_json_fields(R"({"payload":{"x":[1,2.5,"s",null,{"y":true}]},"n":7,"s":"t"})");
  EXPECT_EQ(fields["payload"].value, nlohmann::json::parse(R"({"x":[1,2.5,"s",null,{"y":true}]})"));
  EXPECT_EQ(fields["n"].value, 7);
  EXPECT_EQ(fields["s"].value, "t");
}

TEST(JsonFields, RefusesNestingDeeperThanTheLimit) {
  auto nested = [](int levels) { return R"({"p":)" + std::string(levels, '[') + std::string(levels, ']') + "}"; };
  EXPECT_NO_THROW(parse_json_fields(nested(vigil::core::kMaxJsonDepth - 1)));
  JsonError e = error_of(nested(vigil::core::kMaxJsonDepth));
  EXPECT_NE(std::string(e.what()).find("nested deeper"), std::string::npos) << e.what();
}

TEST(JsonFields, CountsAndCutsCharactersNotBytes) {
  using vigil::core::utf8_length;
  using vigil::core::utf8_prefix;
  EXPECT_EQ(utf8_length("abc"), 3u);
  EXPECT_EQ(utf8_length("é€𝄞"), 3u);
  EXPECT_EQ(utf8_prefix("é€𝄞", 2), "é€...");
  EXPECT_EQ(utf8_prefix("é€𝄞", 3), "é€𝄞");
}

// The JSON reader and the SDK's check (used by the transport for headers)
// must accept exactly the same text: every two-byte sequence after a
// non-ASCII lead, and the edges of every three- and four-byte lead.
TEST(JsonFields, AcceptsExactlyWhatTheSdkUtf8CheckAccepts) {
  auto agree = [](const std::string& bytes) {
    bool accepted = true;
    try {
      parse_json_fields(R"({"s":")" + bytes + R"("})");
    } catch (const JsonError&) {
      accepted = false;
    }
    EXPECT_EQ(accepted, vigil::sdk::is_utf8(bytes)) << testing::PrintToString(bytes);
  };
  auto json_special = [](int b) { return b < 0x20 || b == '"' || b == '\\'; };
  for (int b1 = 0x80; b1 <= 0xff; ++b1)
    for (int b2 = 0; b2 <= 0xff; ++b2)
      if (!json_special(b2)) agree({static_cast<char>(b1), static_cast<char>(b2)});
  for (int b1 = 0xe0; b1 <= 0xef; ++b1)
    for (int b2 = 0x7f; b2 <= 0xc0; ++b2)
      for (int b3 : {0x41, 0x7f, 0x80, 0xbf, 0xc0}) agree({char(b1), char(b2), char(b3)});
  for (int b1 = 0xf0; b1 <= 0xf7; ++b1)
    for (int b2 : {0x7f, 0x80, 0x8f, 0x90, 0xbf, 0xc0})
      for (int b4 : {0x41, 0x80, 0xbf}) agree({char(b1), char(b2), char(0x80), char(b4)});
}
