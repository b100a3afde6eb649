#include "core/workflow/request_body.hpp"

#include <gtest/gtest.h>

#include "core/workflow/api_error.hpp"
#include "core/workflow/body_limits.hpp"

using vigil::core::ApiError;
using vigil::core::FieldLimit;
using vigil::core::RequestBody;
namespace limits = vigil::core::body_limits;

namespace {

constexpr FieldLimit kTestLimits[] = {{"id", 8}, {"price", 6}, {"tickets", 4}, {"note", 3}};

// The message of the ApiError building or reading a body throws; fails
// the test when none.
template <typename Read>
std::string refusal(std::string_view json, Read read) {
  try {
    RequestBody body(json, kTestLimits);
    read(body);
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), VIGIL_INVALID_ARGUMENT);
    EXPECT_EQ(e.code(), "invalid_argument");
    return e.what();
  }
  ADD_FAILURE() << "accepted: " << json;
  return "";
}

std::string refusal(std::string_view json) {
  return refusal(json, [](const RequestBody&) {});
}

}  // namespace

TEST(RequestBody, RefusesBadStringsNamingTheField) {
  EXPECT_EQ(refusal("{\"id\":\"a\xc0\xaf\"}"), "field 'id': not valid UTF-8");
  EXPECT_EQ(refusal("{\"id\":\"\xed\xa0\x80\"}"), "field 'id': not valid UTF-8");
  EXPECT_EQ(refusal(R"({"id":"a\u0000"})"), "field 'id': contains a NUL character");
  EXPECT_EQ(refusal(R"({"id":"\ud800"})"), "field 'id': contains a lone UTF-16 surrogate escape");
  EXPECT_EQ(refusal(R"({"payload":{"comment":"\u0000"}})"), "field 'payload.comment': contains a NUL character");
  EXPECT_EQ(refusal("{\"\xff\":1}"), "body: a key: not valid UTF-8");
  EXPECT_EQ(refusal("  "), "body: expected a JSON object");
}

TEST(RequestBody, RefusesFieldsLongerThanTheirLimitBeforeAnyIsRead) {
  // Nothing reads "note": it is refused all the same, whatever path the
  // route would have taken.
  EXPECT_EQ(refusal(R"({"id":"12345678","note":"abcd"})"), "field 'note': longer than 3 characters");
  EXPECT_EQ(refusal(R"({"id":"123456789"})"), "field 'id': longer than 8 characters");
  EXPECT_EQ(refusal(R"({"price":1.123456})"), "field 'price': longer than 6 characters");  // a number as written
  EXPECT_EQ(refusal(R"({"price":"1.123456"})"), "field 'price': longer than 6 characters");
  EXPECT_EQ(refusal(R"({"tickets":["1","12345"]})"), "field 'tickets[1]': longer than 4 characters");
}

TEST(RequestBody, CountsCharactersNotBytes) {
  RequestBody at_limit(R"({"id":"éééééééé","note":"𝄞𝄞𝄞"})", kTestLimits);  // 16 and 12 bytes
  EXPECT_EQ(at_limit.string("id"), "éééééééé");
  EXPECT_EQ(at_limit.string("note"), "𝄞𝄞𝄞");
  EXPECT_EQ(refusal(R"({"id":"ééééééééé"})"), "field 'id': longer than 8 characters");
}

TEST(RequestBody, ReadsOnlyDeclaredFields) {
  RequestBody body(R"({"id":"a","other":"b"})", kTestLimits);
  EXPECT_EQ(body.required_string("id"), "a");
  EXPECT_THROW(body.string("other"), std::logic_error);
  EXPECT_THROW(body.number_text("other"), std::logic_error);
}

TEST(RequestBody, ReadsStringArraysNamingTheBadElement) {
  RequestBody good(R"({"tickets":["1","22"]})", kTestLimits);
  EXPECT_EQ(good.required_string_array("tickets"), (std::vector<std::string>{"1", "22"}));
  EXPECT_EQ(refusal(R"({"tickets":["1",""]})", [](const RequestBody& b) { b.required_string_array("tickets"); }),
            "field 'tickets[1]': expected a non-empty string");
  EXPECT_EQ(refusal(R"({"tickets":"1"})", [](const RequestBody& b) { b.required_string_array("tickets"); }),
            "field 'tickets': expected an array of strings");
}

TEST(RequestBody, KeepsNestedValues) {
  RequestBody body(R"({"payload":{"a":[1,"x"]},"flag":true})", kTestLimits);
  ASSERT_NE(body.value("payload"), nullptr);
  EXPECT_EQ((*body.value("payload"))["a"][1], "x");
  EXPECT_EQ(*body.value("flag"), true);
  EXPECT_EQ(body.value("absent"), nullptr);
}

TEST(RequestBody, RouteLimitsMatchTheContract) {
  std::string ticket(limits::kId, '7');
  RequestBody ok(R"({"position_id":"p","status":"executed","broker_ticket":")" + ticket + "\"}", limits::kAck);
  EXPECT_EQ(ok.required_string("broker_ticket"), ticket);
  try {
    RequestBody(R"({"position_id":"p","broker_ticket":")" + ticket + "7\"}", limits::kAck);
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(std::string(e.what()), "field 'broker_ticket': longer than 128 characters");
  }
}
