// The listening socket and the threads that serve every connection: an
// io_context run by `threads` threads, accepting connections and running
// each as an HttpSession on a strand of its own. A connection past the
// connection limits (connection_limits.hpp) is refused as soon as it is
// accepted, before any of its bytes are read: it gets a 503
// `too_many_connections` with Retry-After and a lingering close, or, when
// even the refusal budget is spent, is closed at once. Refusing before
// reading means a refused client costs no parsing and no deadline of a
// request; accepting it at all (rather than leaving it in the backlog) is
// what lets it be told why.
//
// Threading: start() and stop() are called by the transport, never
// concurrently; everything else runs on the io_context's threads.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "http_session.hpp"

namespace vigil::http {

class HttpServer {
 public:
  // `context` must outlive the server.
  HttpServer(boost::asio::ip::tcp::endpoint address, int threads, const SessionContext& context);
  ~HttpServer();

  // Binds, listens and starts the threads; returns the port bound (the
  // system's pick when the address says 0). Throws boost::system::system_error
  // when the address cannot be bound.
  uint16_t start();
  // Stops accepting and serving, joins the threads, and closes every
  // connection. Requests still being answered should have been drained first.
  void stop() noexcept;

 private:
  void accept();
  void accept_later();
  void admit(boost::asio::ip::tcp::socket socket);

  boost::asio::ip::tcp::endpoint address_;
  int threads_;
  const SessionContext& context_;
  // Declared in this order so that the acceptor and the timer go before
  // the io_context they belong to.
  std::unique_ptr<boost::asio::io_context> io_;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
  std::unique_ptr<boost::asio::steady_timer> retry_;
  std::vector<std::thread> runners_;
};

}  // namespace vigil::http
