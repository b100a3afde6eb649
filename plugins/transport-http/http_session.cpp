#include "http_session.hpp"

#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <string>
#include <utility>

namespace vigil::http {
namespace {

namespace beast_http = boost::beast::http;

constexpr size_t kReadChunk = 4096;
// How long a closing connection is read (and discarded) for its client to
// take the answer and close first.
constexpr std::chrono::seconds kLingerTime{2};
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

bool expects_continue(const BeastRequest& message) {
  auto expect = message.find(beast_http::field::expect);
  return message.version() == 11 && expect != message.end() && boost::beast::iequals(expect->value(), "100-continue");
}

}  // namespace

HttpSession::HttpSession(boost::asio::ip::tcp::socket socket, const SessionContext& context)
    : socket_(std::move(socket)), deadline_(socket_.get_executor()), context_(context) {}

void HttpSession::start() {
  boost::asio::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->await_request(); });
}

// The timer holds the session weakly: a session whose connection ended is
// freed at once, not when its last deadline passes.
void HttpSession::expire_after(std::chrono::milliseconds time) {
  deadline_.expires_after(time);  // cancels the previous wait
  deadline_.async_wait([weak = weak_from_this()](Error error) {
    if (auto self = weak.lock(); self && !error) self->on_deadline();
  });
}

void HttpSession::on_deadline() {
  // A wait that completed just before expire_after() moved the deadline on.
  if (deadline_.expiry() > std::chrono::steady_clock::now()) return;
  timed_out_ = true;
  Error ignored;
  socket_.cancel(ignored);
}

HttpSession::Error HttpSession::reason(Error error) const {
  if (error == boost::asio::error::operation_aborted && timed_out_) return boost::beast::error::timeout;
  return error;
}

// Waits for the first byte of the next request under the idle deadline, so
// that the header deadline counts from when a request really starts.
void HttpSession::await_request() {
  if (buffer_.size() > 0) return read_header();  // a pipelined request is already here
  const SessionSettings& s = context_.settings;
  expire_after(first_request_ ? s.header_timeout : s.idle_timeout);
  socket_.async_read_some(buffer_.prepare(kReadChunk), [self = shared_from_this()](Error error, size_t bytes) {
    if (error) return;  // the client left, or stayed silent past the deadline: close without a word
    self->buffer_.commit(bytes);
    self->read_header();
  });
}

void HttpSession::read_header() {
  parser_.emplace();
  apply_limits(*parser_, context_.settings.limits);
  expire_after(context_.settings.header_timeout);
  beast_http::async_read_header(socket_, buffer_, *parser_, [self = shared_from_this()](Error error, size_t) {
    self->on_header(self->reason(error));
  });
}

void HttpSession::on_header(Error error) {
  if (error) return on_read_failed(error);
  if (parser_->is_done()) return serve();
  if (!expects_continue(parser_->get())) return read_body();
  // The client waits for a go-ahead before it sends the body.
  boost::asio::async_write(socket_, boost::asio::buffer(kContinue.data(), kContinue.size()),
                           [self = shared_from_this()](Error write_error, size_t) {
                             if (!write_error) self->read_body();
                           });
}

void HttpSession::read_body() {
  expire_after(context_.settings.body_timeout);
  beast_http::async_read(socket_, buffer_, *parser_, [self = shared_from_this()](Error error, size_t) {
    if (error) return self->on_read_failed(self->reason(error));
    self->serve();
  });
}

void HttpSession::on_read_failed(Error error) {
  std::optional<HttpReply> reply = framing_error(error, context_.settings.limits);
  if (!reply) return;  // nobody to answer: the connection ends here
  context_.dispatcher->count_refusal(reply->status);
  answer(std::move(*reply), false, false);
}

void HttpSession::serve() {
  BeastRequest message = parser_->release();
  parser_.reset();
  HttpReply refusal;
  std::optional<HttpRequest> request = to_request(message, refusal);
  if (!request) {
    context_.dispatcher->count_refusal(refusal.status);
    return answer(std::move(refusal), false, false);
  }
  if (!context_.in_flight->enter()) {
    HttpReply closing = error_reply(503, "unavailable", "The server is shutting down.");
    closing.retry_after_seconds = 1;
    return answer(std::move(closing), false, false);
  }
  HttpReply reply = context_.dispatcher->dispatch(*request);  // never throws
  bool keep = context_.settings.keep_alive_enabled && message.keep_alive();
  answer(std::move(reply), keep, true);
}

// `counted`: the request was counted in flight and is counted out once its
// answer is written or cannot be.
void HttpSession::answer(HttpReply&& reply, bool keep, bool counted) {
  try {
    response_.emplace(static_cast<beast_http::status>(reply.status), 11);
    Response& r = *response_;
    r.set(beast_http::field::content_type, reply.content_type);
    r.set(beast_http::field::connection, keep ? "Keep-Alive" : "Close");
    if (!reply.allow.empty()) r.set(beast_http::field::allow, joined(reply.allow));
    if (reply.retry_after_seconds > 0) r.set(beast_http::field::retry_after, std::to_string(reply.retry_after_seconds));
    r.body() = std::move(reply.body);
    r.prepare_payload();
  } catch (...) {
    // Out of memory building the answer: nothing can be written.
    if (counted) context_.in_flight->leave();
    return;
  }
  timed_out_ = false;                            // a 408 is written after its read timed out
  expire_after(context_.settings.body_timeout);  // a client that stops reading cannot hold the answer
  beast_http::async_write(socket_, *response_, [self = shared_from_this(), keep, counted](Error error, size_t) {
    self->on_written(error, keep, counted);
  });
}

void HttpSession::on_written(Error error, bool keep, bool counted) {
  response_.reset();
  if (counted) context_.in_flight->leave();
  if (error) return;
  if (!keep) return linger();
  first_request_ = false;
  await_request();
}

void HttpSession::linger() {
  Error ignored;
  socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
  expire_after(kLingerTime);
  discard_until_closed();
}

void HttpSession::discard_until_closed() {
  auto discard = std::make_shared<std::array<char, kReadChunk>>();
  socket_.async_read_some(boost::asio::buffer(*discard), [self = shared_from_this(), discard](Error error, size_t) {
    if (!error) self->discard_until_closed();  // until the client closes or the linger deadline passes
  });
}

}  // namespace vigil::http
