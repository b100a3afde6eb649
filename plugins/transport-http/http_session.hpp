// One client connection: reads requests with Boost.Beast under deadlines,
// hands each complete one to the dispatcher, writes its answer, and keeps
// or closes the connection.
//
// Nothing about a request holds a thread until it is complete: the reads
// are asynchronous, and each has a deadline (idle, header, body), so a
// client that dribbles bytes, stops half-way or sends nothing costs a
// socket and a buffer until its deadline, never a worker. A request the
// parser or request_reader refuses is answered in the contract's error
// shape and the connection is closed, since its framing can no longer be
// trusted. Requests are answered in order, so pipelined requests work.
//
// Closing after an answer is a lingering close: the session stops sending,
// then reads and discards until the client closes or a short deadline
// passes. Closing at once, with a request body still arriving, would make
// the kernel reset the connection and could destroy the answer before the
// client read it.
//
// A long-poll (an answer with `park`) is parked, not waited for: the
// session watches the device (long_poll.hpp) and keeps reading the socket,
// so that a client that leaves is noticed at once and everything it held is
// freed; a wake, the wait's end or the server's stop re-runs the route's
// query on the session's strand, and the session answers when it has
// something. No thread is held meanwhile. Bytes a client pipelines behind
// its long-poll are kept (up to a bound) for after the answer.
//
// A session holds its connection's slot in the connection limits until it
// is destroyed; a connection refused past a limit gets a session that only
// writes the refusal and closes (refuse()).
//
// Threading: a session runs on its own strand; the dispatcher and a parked
// request's query are called from it.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <memory>
#include <optional>

#include "connection_limits.hpp"
#include "dispatcher.hpp"
#include "in_flight.hpp"
#include "long_poll.hpp"
#include "request_reader.hpp"

namespace vigil::http {

struct SessionSettings {
  RequestLimits limits;
  std::chrono::milliseconds header_timeout{10000};  // from a request's first byte to its last header
  std::chrono::milliseconds body_timeout{30000};    // for the body, and again for writing the answer
  std::chrono::milliseconds idle_timeout{60000};    // a kept-alive connection waiting for its next request
  bool keep_alive_enabled = true;
};

// What every session shares; owned by the transport, outlives the sessions.
struct SessionContext {
  SessionSettings settings;
  Dispatcher* dispatcher = nullptr;
  InFlight* in_flight = nullptr;
  LongPoll* long_poll = nullptr;
  ConnectionLimits* connections = nullptr;
  HttpMetrics* metrics = nullptr;
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  // `slot` is the connection's place in the limits, held as long as the session.
  HttpSession(boost::asio::ip::tcp::socket socket, const SessionContext& context, ConnectionSlot slot);
  ~HttpSession();
  // Starts reading; the session keeps itself alive until the connection ends.
  void start();
  // Writes `refusal` before reading anything, then closes (lingering).
  void refuse(HttpReply&& refusal);

 private:
  using Response = boost::beast::http::response<boost::beast::http::string_body>;
  using Error = boost::system::error_code;

  // Ends the session's socket operations after `time`, so that the one
  // waiting completes with a timeout (and a 408 can still be written).
  void expire_after(std::chrono::milliseconds time);
  void arm_deadline(std::chrono::milliseconds time);
  void on_deadline();
  // The error an operation ended with, a cancellation by the deadline read as a timeout.
  Error reason(Error error) const;

  void await_request();
  void read_header();
  void read_body();
  void on_header(Error error);
  void on_read_failed(Error error);
  void serve();
  void answer(HttpReply&& reply, bool keep, bool counted);  // takes the reply's body
  void on_written(Error error, bool keep, bool counted);
  void linger();
  void discard_until_closed();

  // Parking (see the header comment). All on the session's strand.
  void park(std::shared_ptr<const ParkRequest> request, bool keep);
  void on_park_event(bool wait_over);
  // A parked request's question to the host came back (on the strand).
  void on_answered(const std::shared_ptr<const ParkRequest>& asked, std::optional<HttpReply> reply);
  void unpark(HttpReply&& reply);
  void abandon_park();  // the client left while parked
  void watch_connection();
  // Runs `next` now, or once the connection watch's read has completed (a
  // socket takes one read at a time).
  void after_watch(void (HttpSession::*next)());

  boost::asio::ip::tcp::socket socket_;
  ConnectionSlot slot_;
  boost::asio::steady_timer deadline_;
  bool timed_out_ = false;
  const SessionContext& context_;
  boost::beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  std::optional<Response> response_;  // the answer being written
  bool first_request_ = true;

  struct Parked {
    std::shared_ptr<const ParkRequest> request;
    bool keep = false;   // keep the connection after the answer
    uint64_t token = 0;  // LongPoll's
  };
  std::optional<Parked> parked_;
  // A question to the host is under way on the long-poll's threads; an
  // event meanwhile asks again (with `last` if any said so) once it is back.
  bool querying_ = false, query_again_ = false, query_last_ = false;
  boost::asio::steady_timer park_timer_;
  bool watch_pending_ = false;                    // the connection watch's read is outstanding
  void (HttpSession::*after_watch_)() = nullptr;  // what waits for it to complete
};

}  // namespace vigil::http
