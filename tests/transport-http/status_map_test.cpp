// transport-http's mapping of vigil_status to HTTP.
#include "plugins/transport-http/status_map.hpp"

#include <gtest/gtest.h>

using vigil::http::default_error_code;
using vigil::http::http_status;

TEST(TransportHttpStatusMap, MapsEveryStatusOfTheAbi) {
  EXPECT_EQ(http_status(VIGIL_OK), 200);
  EXPECT_EQ(http_status(VIGIL_INVALID_ARGUMENT), 400);
  EXPECT_EQ(http_status(VIGIL_UNAUTHENTICATED), 401);
  EXPECT_EQ(http_status(VIGIL_NOT_FOUND), 404);
  EXPECT_EQ(http_status(VIGIL_CONFLICT), 409);
  EXPECT_EQ(http_status(VIGIL_UNAVAILABLE), 503);
  EXPECT_EQ(http_status(VIGIL_UNSUPPORTED), 501);
  EXPECT_EQ(http_status(VIGIL_INTERNAL), 500);
}

TEST(TransportHttpStatusMap, TreatsAStatusItDoesNotKnowAsInternal) {
  EXPECT_EQ(http_status(99), 500);
  EXPECT_EQ(http_status(-1), 500);
  EXPECT_EQ(default_error_code(99), "internal");
}

TEST(TransportHttpStatusMap, HasASnakeCaseCodeForEachFailure) {
  EXPECT_EQ(default_error_code(VIGIL_INVALID_ARGUMENT), "invalid_argument");
  EXPECT_EQ(default_error_code(VIGIL_UNAUTHENTICATED), "unauthenticated");
  EXPECT_EQ(default_error_code(VIGIL_NOT_FOUND), "not_found");
  EXPECT_EQ(default_error_code(VIGIL_CONFLICT), "conflict");
  EXPECT_EQ(default_error_code(VIGIL_UNAVAILABLE), "unavailable");
  EXPECT_EQ(default_error_code(VIGIL_UNSUPPORTED), "unsupported");
}
