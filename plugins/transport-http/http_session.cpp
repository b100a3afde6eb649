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
// How long after a deadline the session may still be answering (the 408)
// before its socket is closed outright.
constexpr std::chrono::seconds kTimeoutGrace{1};
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

HttpSession::HttpSession(boost::asio::ip::tcp::socket socket, const SessionContext& context, ConnectionSlot slot)
    : socket_(std::move(socket)),
      slot_(std::move(slot)),
      deadline_(socket_.get_executor()),
      context_(context),
      park_timer_(socket_.get_executor()) {}

HttpSession::~HttpSession() {
  // The server stopped (its io_context gone) with this request parked.
  if (!parked_) return;
  context_.long_poll->unwatch(parked_->token);
  context_.in_flight->leave();
}

void HttpSession::start() {
  boost::asio::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->await_request(); });
}

void HttpSession::refuse(HttpReply&& refusal) {
  boost::asio::dispatch(socket_.get_executor(), [self = shared_from_this(), refusal = std::move(refusal)]() mutable {
    self->answer(std::move(refusal), false, false);
  });
}

// A new step, a new deadline. The timer holds the session weakly: a
// session whose connection ended is freed at once, not when its last
// deadline passes.
void HttpSession::expire_after(std::chrono::milliseconds time) {
  timed_out_ = false;
  arm_deadline(time);
}

void HttpSession::arm_deadline(std::chrono::milliseconds time) {
  deadline_.expires_after(time);  // cancels the previous wait
  deadline_.async_wait([weak = weak_from_this()](Error error) {
    if (auto self = weak.lock(); self && !error) self->on_deadline();
  });
}

// Cancelling is not enough on its own: a socket operation whose completion
// was already queued when the deadline passed is not cancelled, and the
// composed read or write it belongs to goes on to its next step with no
// deadline left (a client dribbling a byte at that moment would escape its
// deadline for good). So receiving is shut down too, which ends every later
// read once the bytes already here are taken, and if no new step has armed
// a deadline within a grace period (a write that went on), the socket is
// closed.
void HttpSession::on_deadline() {
  // A wait that completed just before expire_after() moved the deadline on.
  if (deadline_.expiry() > std::chrono::steady_clock::now()) return;
  Error ignored;
  if (timed_out_) {  // the grace is over
    socket_.close(ignored);
    return;
  }
  timed_out_ = true;
  socket_.cancel(ignored);
  socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_receive, ignored);
  arm_deadline(kTimeoutGrace);
}

// Once the deadline has passed, a read fails because of it (cancelled, or
// ended by the shutdown), whatever error it reports.
HttpSession::Error HttpSession::reason(Error error) const {
  if (error && timed_out_) return boost::beast::error::timeout;
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
  if (reply.park) return park(std::move(reply.park), keep);
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
    if (!reply.request_id.empty()) r.set("X-Request-Id", reply.request_id);
    for (const auto& [name, value] : reply.headers) r.set(name, value);
    r.body() = std::move(reply.body);
    r.prepare_payload();
  } catch (...) {
    // Out of memory building the answer: nothing can be written.
    if (counted) context_.in_flight->leave();
    return;
  }
  expire_after(context_.settings.body_timeout);  // a client that stops reading cannot hold the answer
  beast_http::async_write(socket_, *response_, [self = shared_from_this(), keep, counted](Error error, size_t) {
    self->on_written(error, keep, counted);
  });
}

void HttpSession::on_written(Error error, bool keep, bool counted) {
  response_.reset();
  if (counted) context_.in_flight->leave();
  if (error) return;
  if (!keep) return after_watch(&HttpSession::linger);
  first_request_ = false;
  after_watch(&HttpSession::await_request);
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

// A parked request stays counted in flight (the transport's stop drains
// it: LongPoll::stop() makes it answer). Watching starts before the first
// query, so a command committed in between still wakes it.
void HttpSession::park(std::shared_ptr<const ParkRequest> request, bool keep) {
  auto notify = [weak = weak_from_this(), executor = socket_.get_executor()] {
    boost::asio::post(executor, [weak] {
      if (auto self = weak.lock()) self->on_park_event(false);
    });
  };
  uint64_t token = context_.long_poll->watch(request->device_id, std::move(notify));
  if (token == 0) return answer(*request->answer(true), keep, true);  // cannot park: answer now
  std::chrono::milliseconds wait = request->wait;
  parked_ = Parked{std::move(request), keep, token};
  if (std::optional<HttpReply> now = parked_->request->answer(false)) return unpark(std::move(*now));
  // Bounds the park even if the timer below were lost.
  expire_after(wait + context_.settings.body_timeout);
  park_timer_.expires_after(wait);
  // Holds the session: a parked request is answered when its wait ends,
  // whatever else happened.
  park_timer_.async_wait([self = shared_from_this()](Error error) {
    if (!error) self->on_park_event(true);
  });
  watch_connection();
}

// Asks the host again on the long-poll's threads (long_poll.hpp says why),
// one question at a time; the answer comes back to the strand.
void HttpSession::on_park_event(bool wait_over) {
  if (!parked_) return;  // answered already; a late wake
  bool last = wait_over || context_.long_poll->stopping();
  if (querying_) {
    query_again_ = true;
    query_last_ = query_last_ || last;
    return;
  }
  querying_ = true;
  context_.long_poll->run([self = shared_from_this(), asked = parked_->request, last] {
    std::optional<HttpReply> reply = asked->answer(last);
    boost::asio::post(self->socket_.get_executor(), [self, asked, reply = std::move(reply)]() mutable {
      self->on_answered(asked, std::move(reply));
    });
  });
}

void HttpSession::on_answered(const std::shared_ptr<const ParkRequest>& asked, std::optional<HttpReply> reply) {
  querying_ = false;
  // The client left meanwhile: what the answer delivered stays listed for
  // the device's next request (unfinished commands are always listed).
  if (!parked_ || parked_->request != asked) return;
  if (reply) return unpark(std::move(*reply));
  if (!query_again_) return;
  bool last = query_last_;
  query_again_ = query_last_ = false;
  on_park_event(last);
}

void HttpSession::unpark(HttpReply&& reply) {
  context_.long_poll->unwatch(parked_->token);
  bool keep = parked_->keep;
  parked_.reset();
  park_timer_.cancel();
  if (watch_pending_) {
    Error ignored;
    socket_.cancel(ignored);  // ends the connection watch; the write below waits for nothing
  }
  answer(std::move(reply), keep, true);
}

void HttpSession::abandon_park() {
  context_.long_poll->unwatch(parked_->token);
  parked_.reset();
  park_timer_.cancel();
  deadline_.cancel();
  context_.in_flight->leave();
  Error ignored;
  socket_.close(ignored);  // nothing else holds the session: it is freed now
}

// Reads while parked: an error is the client gone (or the bounding
// deadline); bytes are a pipelined request, kept for after the answer.
void HttpSession::watch_connection() {
  constexpr size_t kMaxKeptWhileParked = 64 * 1024;
  if (buffer_.size() >= kMaxKeptWhileParked) return;  // enough kept; a leaving client is noticed on the write
  watch_pending_ = true;
  socket_.async_read_some(buffer_.prepare(kReadChunk), [self = shared_from_this()](Error error, size_t bytes) {
    self->watch_pending_ = false;
    if (!error) self->buffer_.commit(bytes);
    if (self->parked_) return error ? self->abandon_park() : self->watch_connection();
    if (auto next = std::exchange(self->after_watch_, nullptr)) (self.get()->*next)();
  });
}

void HttpSession::after_watch(void (HttpSession::*next)()) {
  if (watch_pending_)
    after_watch_ = next;
  else
    (this->*next)();
}

}  // namespace vigil::http
