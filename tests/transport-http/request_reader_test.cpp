// transport-http's request reader: hostile framing and headers become 4xx
// answers in the contract's shape, naming what was wrong.
#include "plugins/transport-http/request_reader.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace {

using vigil::http::HttpReply;
using vigil::http::HttpRequest;
using vigil::http::read_request;
using vigil::http::ReadResult;
using vigil::http::RequestLimits;
using vigil::http::to_request;

ReadResult read(const std::string& bytes, size_t max_body = 1000) {
  return read_request(bytes, RequestLimits{max_body, 16 * 1024});
}

// Asserts a refusal with `status` and `code` whose message mentions `names`.
void expect_refused(const std::string& bytes, int status, const std::string& code, const std::string& names = "") {
  ReadResult r = read(bytes);
  ASSERT_TRUE(r.complete) << bytes;
  ASSERT_TRUE(r.refusal.has_value()) << bytes;
  EXPECT_EQ(r.refusal->status, status) << bytes;
  nlohmann::json body = nlohmann::json::parse(r.refusal->body);
  EXPECT_EQ(body["error"]["code"], code) << r.refusal->body;
  EXPECT_NE(body["error"]["message"].get<std::string>().find(names), std::string::npos) << r.refusal->body;
}

const std::string kPost = "POST /api/v1/client/ack HTTP/1.1\r\nHost: x\r\n";

TEST(RequestReader, AWellFormedRequestIsSplitIntoPathQueryHeadersAndBody) {
  ReadResult r = read(
      "POST /api/v1/client/close-commands?wait=5&x=1 HTTP/1.1\r\nHost: x\r\nX-Device-Id: d1\r\n"
      "Authorization: Bearer t\r\nContent-Length: 2\r\n\r\n{}");
  ASSERT_TRUE(r.complete);
  ASSERT_FALSE(r.refusal.has_value()) << r.refusal->body;
  HttpReply refusal;
  std::optional<HttpRequest> request = to_request(r.message, refusal);
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(request->method, "POST");
  EXPECT_EQ(request->path, "/api/v1/client/close-commands");
  EXPECT_EQ(request->query, "wait=5&x=1");
  EXPECT_EQ(request->body, "{}");
  EXPECT_EQ(request->authorization, "Bearer t");
  EXPECT_EQ(request->device.device_id, "d1");
}

TEST(RequestReader, AChunkedBodyIsJoined) {
  ReadResult r = read(kPost + "Transfer-Encoding: chunked\r\n\r\n1\r\nx\r\n2\r\nyz\r\n0\r\n\r\n");
  ASSERT_TRUE(r.complete);
  ASSERT_FALSE(r.refusal.has_value()) << r.refusal->body;
  EXPECT_EQ(r.message.body(), "xyz");
}

TEST(RequestReader, BytesThatEndBeforeTheRequestAreIncompleteNotRefused) {
  EXPECT_FALSE(read(kPost + "Transfer-Encoding: chunked\r\n\r\n1\r\nx\r").complete);
  EXPECT_FALSE(read(kPost + "Content-Length: 5\r\n\r\nab").complete);
  EXPECT_FALSE(read("GET /healthz HTTP/1.1\r\nHo").complete);
}

TEST(RequestReader, ANegativeNonNumericOrConflictingContentLengthIs400NamingIt) {
  expect_refused(kPost + "Content-Length: -5\r\n\r\n", 400, "malformed_request", "Content-Length");
  expect_refused(kPost + "Content-Length: abc\r\n\r\n", 400, "malformed_request", "Content-Length");
  expect_refused(kPost + "Content-Length: 99999999999999999999999\r\n\r\n", 400, "malformed_request", "Content-Length");
  expect_refused(kPost + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}", 400, "malformed_request",
                 "Content-Length");
}

TEST(RequestReader, AContentLengthOverTheBodyLimitIs413BeforeAnyBodyArrives) {
  expect_refused(kPost + "Content-Length: 1000000\r\n\r\n", 413, "body_too_large", "1000 bytes");
}

TEST(RequestReader, AnOverflowingOrMalformedChunkSizeIs4xx) {
  ReadResult huge = read(kPost + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nx\r\n0\r\n\r\n");
  ASSERT_TRUE(huge.complete && huge.refusal.has_value());
  EXPECT_TRUE(huge.refusal->status == 400 || huge.refusal->status == 413) << huge.refusal->status;
  expect_refused(kPost + "Transfer-Encoding: chunked\r\n\r\nzz\r\nx\r\n0\r\n\r\n", 400, "malformed_request", "chunk");
  expect_refused(kPost + "Transfer-Encoding: chunked\r\n\r\n800\r\n" + std::string(2048, 'x') + "\r\n0\r\n\r\n", 413,
                 "body_too_large");
}

TEST(RequestReader, TransferCodingsOtherThanChunkedAreRefused) {
  expect_refused(kPost + "Transfer-Encoding: gzip\r\n\r\n", 501, "unsupported_transfer_encoding", "Transfer-Encoding");
  expect_refused("POST /x HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "malformed_request",
                 "Transfer-Encoding");
  expect_refused(kPost + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n", 400, "malformed_request");
}

TEST(RequestReader, Http11WithoutHostIs400) {
  expect_refused("GET /healthz HTTP/1.1\r\n\r\n", 400, "missing_host", "Host");
  EXPECT_FALSE(read("GET /healthz HTTP/1.0\r\n\r\n").refusal.has_value());
}

TEST(RequestReader, AHeaderThatIsNotUtf8TextIs400NamingTheHeader) {
  expect_refused(kPost + "X-Device-Id: \xff\r\n\r\n", 400, "malformed_header", "X-Device-Id");
  expect_refused(kPost + "X-Nonce: \xc0\xaf\r\n\r\n", 400, "malformed_header", "X-Nonce");
  ReadResult nul = read(kPost + std::string("X-Device-Id: a\0b\r\n\r\n", 20));
  ASSERT_TRUE(nul.complete && nul.refusal.has_value());
  EXPECT_EQ(nul.refusal->status, 400);
  EXPECT_FALSE(read(kPost + "X-Client-Name: caf\xc3\xa9\r\n\r\n").refusal.has_value());
}

TEST(RequestReader, AHeaderTheRoutesReadGivenTwiceIs400) {
  expect_refused(kPost + "X-Device-Id: a\r\nX-Device-Id: b\r\n\r\n", 400, "duplicate_header", "X-Device-Id");
  expect_refused("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "duplicate_header", "Host");
  // Header names are compared without regard to case.
  expect_refused(kPost + "x-nonce: a\r\nX-NONCE: b\r\n\r\n", 400, "duplicate_header", "X-Nonce");
  expect_refused(kPost + "X-Signature: a\r\nx-signature: b\r\n\r\n", 400, "duplicate_header", "X-Signature");
  // Names of the same length, or other headers given twice, are not refused.
  EXPECT_FALSE(read(kPost + "X-Device-Ix: a\r\nX-Device-Iy: b\r\nAccept: x\r\nAccept: y\r\n\r\n").refusal.has_value());
}

TEST(RequestReader, ATargetThatIsNotPrintableAsciiIs400) {
  expect_refused("GET /caf\xc3\xa9 HTTP/1.1\r\nHost: x\r\n\r\n", 400, "malformed_request", "target");
  expect_refused("GET * HTTP/1.1\r\nHost: x\r\n\r\n", 400, "malformed_request", "target");
}

TEST(RequestReader, AnUnknownMethodIs501AndAnotherHttpVersion400) {
  expect_refused("BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n", 501, "method_not_implemented", "BREW");
  expect_refused("GET / HTTP/1.2\r\nHost: x\r\n\r\n", 400, "malformed_request", "HTTP/1.1");
  expect_refused("GET / HTTP/2.0\r\nHost: x\r\n\r\n", 400, "malformed_request", "HTTP/1.1");
}

TEST(RequestReader, HeadersOverTheirLimitAre431) {
  expect_refused(kPost + "X-Pad: " + std::string(20000, 'a') + "\r\n\r\n", 431, "headers_too_large");
}

TEST(RequestReader, AMalformedRequestLineOrHeaderLineIs400) {
  expect_refused("GET /healthz HTTP/1.1 extra\r\nHost: x\r\n\r\n", 400, "malformed_request", "request line");
  expect_refused("GET /healthz HTTP/1.1\r\nHost x\r\n\r\n", 400, "malformed_request", "header line");
}

}  // namespace
