// transport-http's turning of host answers into HTTP answers.
#include "plugins/transport-http/app_reply.hpp"

#include <gtest/gtest.h>

using namespace vigil::http;

TEST(TransportHttpAppReply, OkIs200WithTheAnswerAsJson) {
  HttpReply r = reply_from("op", AppAnswer{VIGIL_OK, "", R"({"a":1})"});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, R"({"a":1})");
}

TEST(TransportHttpAppReply, PassesOnAnErrorTheHostWroteInTheContractsShape) {
  const std::string body = R"({"error":{"code":"ack_conflict","message":"Another ack was recorded."}})";
  HttpReply r = reply_from("op", AppAnswer{VIGIL_CONFLICT, "ack_conflict", body});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.body, body);
}

TEST(TransportHttpAppReply, BuildsTheErrorFromTheHostsCodeAndSentence) {
  HttpReply r = reply_from("op", AppAnswer{VIGIL_INVALID_ARGUMENT, "invalid_field", "field 'volume': not a number"});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, R"({"error":{"code":"invalid_field","message":"field 'volume': not a number"}})");
}

TEST(TransportHttpAppReply, FallsBackToTheStatusesOwnCodeAndSentence) {
  HttpReply r = reply_from("op", AppAnswer{VIGIL_UNSUPPORTED, "", ""});
  EXPECT_EQ(r.status, 501);
  EXPECT_EQ(r.body, R"({"error":{"code":"unsupported","message":"This server does not support that operation."}})");
  EXPECT_EQ(reply_from("op", AppAnswer{VIGIL_NOT_FOUND, "", R"({"weird":1})"}).body,
            R"({"error":{"code":"not_found","message":"Nothing was found there."}})");
}

TEST(TransportHttpAppReply, InternalThrowsWithDetailsForTheLog) {
  try {
    reply_from("system.health", AppAnswer{VIGIL_INTERNAL, "internal", "disk full"});
    FAIL();
  } catch (const InternalFailure& e) {
    EXPECT_STREQ(e.what(), "host answered system.health with status 7 (internal): disk full");
  }
  EXPECT_THROW(reply_from("op", AppAnswer{42, "", ""}), InternalFailure);
}
