// The one place a request's bytes become the request the routes see.
//
// Boost.Beast's parser frames the request (HTTP/1.0 or 1.1 only; request line, headers,
// Content-Length or chunked body) within the limits set here; what it
// refuses becomes an answer in the contract's error shape naming what was
// wrong (framing_error). A framed request is then checked once, before any
// route sees it (to_request): a known method, a path
// of printable ASCII, Host present on HTTP/1.1, no header the routes read
// given twice, only the "chunked" transfer coding, and every header value
// well-formed UTF-8. JSON bodies are checked by the host, which parses them.
//
// read_request() runs the same parser over bytes in memory: what the
// session does over a socket, for tests and the fuzzer.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/system/error_code.hpp>
#include <cstddef>
#include <optional>
#include <string_view>

#include "http_message.hpp"

namespace vigil::http {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

struct RequestLimits {
  size_t max_body_bytes = 65536;
  size_t max_header_bytes = 16 * 1024;  // the request line and every header
};

// Sets the parser's header and body limits.
void apply_limits(RequestParser& parser, const RequestLimits& limits);

// The answer to a request the parser refused; nullopt when there is nobody
// to answer (the client closed the connection, or the socket failed).
std::optional<HttpReply> framing_error(const boost::system::error_code& error, const RequestLimits& limits);

// The request as the routes see it (viewing `message`, which must outlive
// it), or the refusal in `refusal`.
std::optional<HttpRequest> to_request(const BeastRequest& message, HttpReply& refusal);

// Parses one request from `bytes` as the session would: `complete` is false
// when the bytes end before the request does (a session would read on).
struct ReadResult {
  bool complete = false;
  std::optional<HttpReply> refusal;  // set when the request is refused
  BeastRequest message;              // valid when complete and not refused
};
ReadResult read_request(std::string_view bytes, const RequestLimits& limits);

}  // namespace vigil::http
