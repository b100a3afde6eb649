#include "request_reader.hpp"

#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <string>
#include <type_traits>

#include "vigil/cpp/utf8.hpp"

namespace vigil::http {
namespace {

namespace beast_http = boost::beast::http;

// Beast's views are the standard ones (CMakeLists.txt defines it), so its
// header values and targets become the routes' std::string_views as they are.
static_assert(std::is_same_v<boost::beast::string_view, std::string_view>,
              "build with BOOST_BEAST_USE_STD_STRING_VIEW");

HttpReply malformed(std::string_view message) {
  return error_reply(400, "malformed_request", message);
}

// The headers a route or the framing reads: given twice, which one counts
// would be a guess, and two readers could guess differently.
constexpr std::array<std::string_view, 8> kSingleHeaders = {"Host",        "Authorization",    "Content-Type",
                                                            "X-Device-Id", "X-Timestamp",      "X-Nonce",
                                                            "X-Signature", "Transfer-Encoding"};

bool printable_ascii(std::string_view text) {
  for (char c : text)
    if (c < 0x21 || c > 0x7e) return false;
  return true;
}

// A header value is text: well-formed UTF-8 without control characters
// (horizontal tab aside). The parser already refuses most controls; NUL and
// bytes above 0x7f it lets through as "obs-text".
bool clean_header_value(std::string_view value) {
  for (char c : value)
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) return false;
  return sdk::is_utf8(value);
}

std::optional<HttpReply> check_request_line(const BeastRequest& message) {
  if (message.method() == beast_http::verb::unknown)
    return error_reply(501, "method_not_implemented",
                       "The method " + std::string(message.method_string()) + " is not known here.");
  std::string_view target = message.target();
  if (target.empty() || target.front() != '/' || !printable_ascii(target))
    return malformed("The request target must be a path of printable ASCII (percent-encode anything else).");
  return std::nullopt;
}

// One pass over the fields (not a lookup per single header): a signed
// request carries four more of them.
std::optional<HttpReply> check_headers(const BeastRequest& message) {
  std::array<int, kSingleHeaders.size()> seen{};
  for (const auto& field : message) {
    if (!clean_header_value(field.value()))
      return error_reply(
          400, "malformed_header",
          std::string(field.name_string()) + ": the value must be UTF-8 text without control characters.");
    std::string_view name = field.name_string();
    for (size_t i = 0; i < kSingleHeaders.size(); ++i)
      if (name.size() == kSingleHeaders[i].size() && boost::beast::iequals(name, kSingleHeaders[i])) ++seen[i];
  }
  for (size_t i = 0; i < kSingleHeaders.size(); ++i) {
    if (seen[i] > 1)
      return error_reply(400, "duplicate_header",
                         std::string(kSingleHeaders[i]) + ": the header is given more than once.");
  }
  if (message.version() == 11 && message.find(beast_http::field::host) == message.end())
    return error_reply(400, "missing_host", "Host: the header is required in HTTP/1.1.");
  return std::nullopt;
}

// Only "chunked" alone: any other coding would leave the body's end to a
// guess, and a guess that differs from a proxy's is request smuggling.
std::optional<HttpReply> check_transfer_encoding(const BeastRequest& message) {
  auto coding = message.find(beast_http::field::transfer_encoding);
  if (coding == message.end()) return std::nullopt;
  if (message.version() != 11)
    return malformed("Transfer-Encoding: HTTP/1.0 has no transfer codings; send Content-Length.");
  if (!boost::beast::iequals(coding->value(), "chunked"))
    return error_reply(501, "unsupported_transfer_encoding", "Transfer-Encoding: only \"chunked\" is served.");
  return std::nullopt;
}

std::string_view header(const BeastRequest& message, std::string_view name) {
  auto it = message.find(name);
  return it == message.end() ? std::string_view() : it->value();
}

}  // namespace

void apply_limits(RequestParser& parser, const RequestLimits& limits) {
  parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
  parser.body_limit(limits.max_body_bytes);
}

std::optional<HttpReply> framing_error(const boost::system::error_code& failure, const RequestLimits& limits) {
  using beast_http::error;
  const boost::system::error_code& e = failure;
  if (e == boost::beast::error::timeout)
    return error_reply(408, "request_timeout", "The request did not arrive in time.");
  if (e == error::body_limit || e == error::buffer_overflow)
    return error_reply(413, "body_too_large",
                       "The request body is larger than " + std::to_string(limits.max_body_bytes) + " bytes.");
  if (e == error::header_limit)
    return error_reply(
        431, "headers_too_large",
        "The request line and headers are larger than " + std::to_string(limits.max_header_bytes) + " bytes.");
  if (e == error::bad_content_length)
    return malformed("Content-Length: expected one decimal number of bytes, the same in every Content-Length header.");
  if (e == error::bad_transfer_encoding)
    return malformed("Transfer-Encoding: given twice, or together with Content-Length.");
  if (e == error::bad_chunk || e == error::bad_chunk_extension)
    return malformed("The chunked body is malformed (a chunk size, or the line ending after a chunk).");
  // The parser reads HTTP/1.0 and HTTP/1.1 only; it cannot tell another
  // version from garbage after the target.
  if (e == error::bad_version)
    return malformed("The request line is malformed (only HTTP/1.0 and HTTP/1.1 are served).");
  if (e == error::bad_line_ending || e == error::bad_method || e == error::bad_target)
    return malformed("The request line is malformed.");
  if (e == error::bad_field || e == error::bad_value || e == error::bad_obs_fold)
    return malformed("A header line is malformed.");
  return std::nullopt;  // the client left, or the socket failed: nobody to answer
}

std::optional<HttpRequest> to_request(const BeastRequest& message, HttpReply& refusal) {
  for (auto check : {check_request_line, check_headers, check_transfer_encoding}) {
    if (auto bad = check(message)) return refusal = std::move(*bad), std::nullopt;
  }
  std::string_view target = message.target();
  size_t question = target.find('?');
  HttpRequest request;
  request.method = message.method_string();
  request.path = target.substr(0, question);
  request.query = question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  request.body = message.body();
  auto authorization = message.find(beast_http::field::authorization);
  if (authorization != message.end()) request.authorization = authorization->value();
  request.device = {header(message, "X-Device-Id"), header(message, "X-Timestamp"), header(message, "X-Nonce"),
                    header(message, "X-Signature")};
  return request;
}

ReadResult read_request(std::string_view bytes, const RequestLimits& limits) {
  RequestParser parser;
  apply_limits(parser, limits);
  parser.eager(true);
  ReadResult result;
  boost::system::error_code error;
  while (!parser.is_done()) {
    size_t used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), error);
    bytes.remove_prefix(used);
    // The bytes end before the request does (the parser may also stop with
    // no error and nothing used when it has nothing left to read).
    if (error == beast_http::error::need_more || (!error && used == 0)) return result;
    if (error) {
      result.complete = true;
      result.refusal = framing_error(error, limits).value_or(malformed("The request is malformed."));
      return result;
    }
  }
  result.complete = true;
  result.message = parser.release();
  HttpReply refusal;
  if (!to_request(result.message, refusal)) result.refusal = std::move(refusal);
  return result;
}

}  // namespace vigil::http
