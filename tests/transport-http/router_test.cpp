// transport-http's exact-path router.
#include "plugins/transport-http/router.hpp"

#include <gtest/gtest.h>

using vigil::http::HttpReply;
using vigil::http::HttpRequest;
using vigil::http::Router;

namespace {

Router two_routes() {
  Router router;
  router.add("GET", "/a", [](const HttpRequest&) { return HttpReply{200, "text/plain", "a", {}, 0}; });
  router.add("POST", "/a", [](const HttpRequest&) { return HttpReply{201, "text/plain", "a+", {}, 0}; });
  return router;
}

}  // namespace

TEST(TransportHttpRouter, FindsTheHandlerOfAMethodAndPath) {
  Router router = two_routes();
  auto match = router.match("POST", "/a");
  ASSERT_EQ(match.kind, Router::Match::found);
  EXPECT_EQ((*match.handler)(HttpRequest{}).status, 201);
  EXPECT_EQ(match.route, "/a");
}

TEST(TransportHttpRouter, SaysWhichMethodsAKnownPathTakes) {
  Router router = two_routes();
  auto match = router.match("DELETE", "/a");
  EXPECT_EQ(match.kind, Router::Match::wrong_method);
  EXPECT_EQ(match.allowed, (std::vector<std::string>{"GET", "POST"}));
  EXPECT_EQ(match.route, "/a");
}

TEST(TransportHttpRouter, KnowsNothingOfOtherPaths) {
  Router router = two_routes();
  for (const char* path : {"/b", "/a/", "/A", ""}) {
    auto match = router.match("GET", path);
    EXPECT_EQ(match.kind, Router::Match::no_route) << path;
    EXPECT_TRUE(match.route.empty());
  }
}
