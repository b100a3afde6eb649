// transport-http's exact-path router.
#include "plugins/transport-http/router.hpp"

#include <gtest/gtest.h>

using vigil::http::HttpReply;
using vigil::http::HttpRequest;
using vigil::http::Router;

namespace {

// Built member by member, so that a new HttpReply member does not break it.
HttpReply text_reply(int status, std::string body) {
  HttpReply reply;
  reply.status = status;
  reply.content_type = "text/plain";
  reply.body = std::move(body);
  return reply;
}

Router two_routes() {
  Router router;
  router.add("GET", "/a", [](const HttpRequest&) { return text_reply(200, "a"); });
  router.add("POST", "/a", [](const HttpRequest&) { return text_reply(201, "a+"); });
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

TEST(TransportHttpRouter, CapturesEachParameterSegmentOfTheMatchedRoute) {
  Router router;
  router.add("POST", "/c/{client_id}/d/{device_id}", [](const HttpRequest&) { return HttpReply{}; });
  auto match = router.match("POST", "/c/cl_1/d/dev_2");
  ASSERT_EQ(match.kind, Router::Match::found);
  EXPECT_EQ(match.route, "/c/{client_id}/d/{device_id}");
  using Params = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(match.params, (Params{{"client_id", "cl_1"}, {"device_id", "dev_2"}}));
}

TEST(TransportHttpRouter, MatchesAParameterOnlyToOneNonEmptySegment) {
  Router router;
  router.add("GET", "/p/{id}", [](const HttpRequest&) { return HttpReply{}; });
  router.add("GET", "/p/{id}/close", [](const HttpRequest&) { return HttpReply{}; });
  for (const char* path : {"/p/", "/p", "/p/x/y", "/p//close", "/p/x/close/", "/q/x"}) {
    auto match = router.match("GET", path);
    EXPECT_EQ(match.kind, Router::Match::no_route) << path;
    EXPECT_TRUE(match.params.empty()) << path;
  }
  EXPECT_EQ(router.match("GET", "/p/x/close").route, "/p/{id}/close");
  EXPECT_EQ(router.match("GET", "/p/x").route, "/p/{id}");
}
