// transport-http's option parsing.
#include "plugins/transport-http/options.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

using vigil::http::Options;
using vigil::http::parse_options;

namespace {

std::string error_of(const std::string& json) {
  try {
    parse_options(json);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(TransportHttpOptions, DefaultsWhenNoneAreGiven) {
  Options o = parse_options("{}");
  EXPECT_EQ(o.host, "127.0.0.1");
  EXPECT_EQ(o.port, 8080);
  EXPECT_EQ(o.threads, 2);
  EXPECT_EQ(o.max_body_bytes, 65536u);
  EXPECT_TRUE(o.keep_alive);
  EXPECT_EQ(parse_options("").port, 8080);
}

TEST(TransportHttpOptions, ReadsEveryOption) {
  Options o = parse_options(R"({"listen":"0.0.0.0:0","threads":4,"max_body_bytes":1024,"header_timeout_ms":100,
    "body_timeout_ms":200,"keep_alive":false,"keep_alive_timeout_ms":300})");
  EXPECT_EQ(o.host, "0.0.0.0");
  EXPECT_EQ(o.port, 0);
  EXPECT_EQ(o.threads, 4);
  EXPECT_EQ(o.max_body_bytes, 1024u);
  EXPECT_EQ(o.header_timeout_ms, 100);
  EXPECT_EQ(o.body_timeout_ms, 200);
  EXPECT_FALSE(o.keep_alive);
  EXPECT_EQ(o.keep_alive_timeout_ms, 300);
}

TEST(TransportHttpOptions, TakesABracketedIpv6Host) {
  Options o = parse_options(R"({"listen":"[::1]:9000"})");
  EXPECT_EQ(o.host, "[::1]");
  EXPECT_EQ(o.port, 9000);
}

TEST(TransportHttpOptions, NamesAnUnknownKey) {
  EXPECT_EQ(error_of(R"({"port":80})").rfind("transport-http: option port: unknown option (known: ", 0), 0u);
}

TEST(TransportHttpOptions, NamesTheKeyOfAWrongType) {
  EXPECT_EQ(error_of(R"({"threads":"2"})"),
            "transport-http: option threads: expected an integer from 1 to 64, got \"2\"");
  EXPECT_EQ(error_of(R"({"threads":2.5})"),
            "transport-http: option threads: expected an integer from 1 to 64, got 2.5");
  EXPECT_EQ(error_of(R"({"keep_alive":"yes"})"),
            "transport-http: option keep_alive: expected true or false, got \"yes\"");
  EXPECT_EQ(error_of(R"({"listen":8080})"), "transport-http: option listen: expected a string \"HOST:PORT\", got 8080");
  EXPECT_NE(error_of(R"({"max_body_bytes":0})").find("option max_body_bytes:"), std::string::npos);
  EXPECT_NE(error_of(R"({"header_timeout_ms":-1})").find("option header_timeout_ms:"), std::string::npos);
}

TEST(TransportHttpOptions, RefusesAListenWithoutAUsablePort) {
  for (const char* bad : {"127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:http", ":8080", "::1:8080"})
    EXPECT_NE(error_of(std::string(R"({"listen":")") + bad + "\"}").find("option listen:"), std::string::npos) << bad;
}

TEST(TransportHttpOptions, RefusesTextThatIsNotAnObject) {
  EXPECT_EQ(error_of("[1]"), "transport-http: options: must be a JSON object, got a list");
  EXPECT_EQ(error_of("{"), "transport-http: options: not valid JSON: expected a key at offset 1");
}

TEST(TransportHttpOptions, ConnectionLimitsDefaultToAFleetAndHalfOfItPerSource) {
  Options o = parse_options("{}");
  EXPECT_EQ(o.max_connections, 25000u);
  EXPECT_EQ(o.max_connections_per_source, 12500u);
  EXPECT_EQ(parse_options(R"({"max_connections":100})").max_connections_per_source, 50u);
  EXPECT_EQ(parse_options(R"({"max_connections":1})").max_connections_per_source, 1u);
  Options set = parse_options(R"({"max_connections":100,"max_connections_per_source":7})");
  EXPECT_EQ(set.max_connections, 100u);
  EXPECT_EQ(set.max_connections_per_source, 7u);
}

TEST(TransportHttpOptions, ParkedWaitsDefaultToTwentyThousandAndNoneMayBeAsked) {
  EXPECT_EQ(parse_options("{}").max_parked_waits, 20000u);
  EXPECT_EQ(parse_options(R"({"max_parked_waits":0})").max_parked_waits, 0u);
  EXPECT_EQ(error_of(R"({"max_parked_waits":-1})"),
            "transport-http: option max_parked_waits: expected an integer from 0 to 1000000, got -1");
}

TEST(TransportHttpOptions, NamesAConnectionLimitOutOfRange) {
  EXPECT_EQ(error_of(R"({"max_connections":0})"),
            "transport-http: option max_connections: expected an integer from 1 to 1000000, got 0");
  EXPECT_EQ(error_of(R"({"max_connections_per_source":"many"})"),
            "transport-http: option max_connections_per_source: expected an integer from 1 to 1000000, got \"many\"");
}
