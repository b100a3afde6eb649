// JsonWriter: commas placed by the writer, strings escaped as RFC 8259
// asks, and text that is not UTF-8 still written as valid JSON.
#include "core/support/json_writer.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <nlohmann/json.hpp>

namespace vigil::core {
namespace {

using nlohmann::json;

TEST(JsonWriter, PlacesTheCommasOfNestedObjectsAndArrays) {
  JsonWriter w;
  w.begin_object().key("items").begin_array();
  w.begin_object().key("a").number(1).key("b").boolean(true).end_object();
  w.begin_object().end_object();
  w.begin_array().null().string("x").end_array();
  w.end_array().key("next").null().key("raw").raw(R"({"k":[1,2]})").end_object();
  EXPECT_EQ(w.text(), R"({"items":[{"a":1,"b":true},{},[null,"x"]],"next":null,"raw":{"k":[1,2]}})");
}

TEST(JsonWriter, WritesTheExtremesOfItsNumbers) {
  JsonWriter w;
  w.begin_array().number(INT64_MIN).number(INT64_MAX).number(0).end_array();
  EXPECT_EQ(json::parse(w.text()), json::array({INT64_MIN, INT64_MAX, 0}));
}

TEST(JsonWriter, EscapesQuotesBackslashesAndEveryControlCharacter) {
  std::string text = "say \"hi\" \\ ";
  for (char c = 0; c < 0x20; ++c) text += c;
  text += "\x7f caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80";
  JsonWriter w;
  w.begin_object().key(text).string(text).end_object();
  json parsed = json::parse(w.text());
  EXPECT_EQ(parsed.begin().key(), text);
  EXPECT_EQ(parsed.begin().value(), text);
  EXPECT_NE(w.text().find(R"(\u0001)"), std::string::npos) << w.text();
  EXPECT_NE(w.text().find(R"(\n)"), std::string::npos) << w.text();
}

TEST(JsonWriter, WritesBytesThatAreNotUtf8AsReplacementCharacters) {
  JsonWriter w;
  w.string(
      "a\xff"
      "b\xc3"
      "c\xed\xa0\x80");                 // a stray byte, a cut sequence, a surrogate
  json parsed = json::parse(w.text());  // nlohmann refuses invalid UTF-8: this parses
  std::string replacement = "\xef\xbf\xbd";
  EXPECT_EQ(parsed.get<std::string>(),
            "a" + replacement + "b" + replacement + "c" + replacement + replacement + replacement);
}

TEST(JsonWriter, WritesAnEmptyTextAsNullOnlyWhenAsked) {
  JsonWriter w;
  w.begin_array().text_or_null("").text_or_null("1.10000").string("").end_array();
  EXPECT_EQ(w.text(), R"([null,"1.10000",""])");
}

}  // namespace
}  // namespace vigil::core
