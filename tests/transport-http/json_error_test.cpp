// transport-http's error bodies.
#include "plugins/transport-http/json_error.hpp"

#include <gtest/gtest.h>

using namespace vigil::http;

TEST(TransportHttpJsonError, HasExactlyTheContractsShape) {
  EXPECT_EQ(error_json("not_found", "There is nothing at /x."),
            R"({"error":{"code":"not_found","message":"There is nothing at /x."}})");
}

TEST(TransportHttpJsonError, EscapesWhatItQuotes) {
  EXPECT_EQ(error_json("bad", "a \"quoted\"\nline"), R"({"error":{"code":"bad","message":"a \"quoted\"\nline"}})");
}

TEST(TransportHttpJsonError, SurvivesInvalidUtf8) {
  EXPECT_NO_THROW(error_json("bad", "\xff\xfe"));
}

TEST(TransportHttpJsonError, InternalCarriesOnlyARequestId) {
  EXPECT_EQ(internal_error_json("00ab"),
            R"({"error":{"code":"internal","message":"internal error","request_id":"00ab"}})");
}

TEST(TransportHttpJsonError, RecognisesABodyAlreadyInTheShape) {
  EXPECT_TRUE(is_error_json(R"({"error":{"code":"conflict","message":"taken"}})"));
  EXPECT_FALSE(is_error_json(R"({"error":{"code":"conflict"}})"));
  EXPECT_FALSE(is_error_json(R"({"error":"conflict"})"));
  EXPECT_FALSE(is_error_json(R"({"status":"degraded"})"));
  EXPECT_FALSE(is_error_json("taken"));
  EXPECT_FALSE(is_error_json(""));
}
