#include "core/app/call_reply.hpp"

#include <gtest/gtest.h>

#include "vigil/cpp/error.hpp"

using namespace vigil::core;

TEST(CallReply, SendsTheBodyToTheSinkAndTheStatusAndCodeToTheReply) {
  std::string body;
  vigil::sdk::StringSink sink(body);
  vigil_app_reply reply{sizeof reply, VIGIL_OK, "stale"};
  EXPECT_EQ(CallReply(*sink.get(), reply).send(VIGIL_UNAVAILABLE, R"({"status":"degraded"})", "degraded"),
            VIGIL_UNAVAILABLE);
  EXPECT_EQ(body, R"({"status":"degraded"})");
  EXPECT_EQ(reply.status, VIGIL_UNAVAILABLE);
  EXPECT_STREQ(reply.error_code, "degraded");
}

TEST(CallReply, AnOkAnswerClearsTheCode) {
  std::string body;
  vigil::sdk::StringSink sink(body);
  vigil_app_reply reply{sizeof reply, VIGIL_INTERNAL, "stale"};
  CallReply(*sink.get(), reply).send(VIGIL_OK, "{}");
  EXPECT_STREQ(reply.error_code, "");
}

TEST(CallReply, AnErrorIsTheContractsErrorObject) {
  std::string body;
  vigil::sdk::StringSink sink(body);
  vigil_app_reply reply{sizeof reply, VIGIL_OK, ""};
  CallReply(*sink.get(), reply).error(VIGIL_UNSUPPORTED, "unsupported_operation", "no \"x\" here");
  EXPECT_EQ(body, R"({"error":{"code":"unsupported_operation","message":"no \"x\" here"}})");
  EXPECT_STREQ(reply.error_code, "unsupported_operation");
}

TEST(CallReply, ACodeLongerThanTheReplyHoldsIsCut) {
  std::string body;
  vigil::sdk::StringSink sink(body);
  vigil_app_reply reply{sizeof reply, VIGIL_OK, ""};
  CallReply(*sink.get(), reply).send(VIGIL_INTERNAL, "{}", std::string(100, 'c'));
  EXPECT_EQ(std::string(reply.error_code), std::string(63, 'c'));
}
