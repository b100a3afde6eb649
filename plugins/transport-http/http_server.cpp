#include "http_server.hpp"

#include <boost/asio/strand.hpp>
#include <chrono>

namespace vigil::http {
namespace {

namespace net = boost::asio;
using net::ip::tcp;

// After a failed accept (out of descriptors, above all), how long to wait
// before trying again: soon enough to serve again quickly, late enough not
// to spin on an error that persists.
constexpr std::chrono::milliseconds kAcceptRetry{100};

}  // namespace

HttpServer::HttpServer(tcp::endpoint address, int threads, const SessionContext& context)
    : address_(std::move(address)), threads_(threads), context_(context) {}

HttpServer::~HttpServer() {
  stop();
}

uint16_t HttpServer::start() {
  io_ = std::make_unique<net::io_context>(threads_);
  acceptor_ = std::make_unique<tcp::acceptor>(*io_);
  retry_ = std::make_unique<net::steady_timer>(*io_);
  try {
    acceptor_->open(address_.protocol());
    acceptor_->set_option(net::socket_base::reuse_address(true));
    acceptor_->bind(address_);
    acceptor_->listen(net::socket_base::max_listen_connections);
  } catch (...) {
    stop();
    throw;
  }
  uint16_t port = acceptor_->local_endpoint().port();
  accept();
  for (int i = 0; i < threads_; ++i) runners_.emplace_back([io = io_.get()] { io->run(); });
  return port;
}

void HttpServer::accept() {
  acceptor_->async_accept(net::make_strand(*io_), [this](boost::system::error_code error, tcp::socket socket) {
    if (error == net::error::operation_aborted) return;
    if (error) return accept_later();
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);  // answers are small: send them now
    std::make_shared<HttpSession>(std::move(socket), context_)->start();
    accept();
  });
}

void HttpServer::accept_later() {
  retry_->expires_after(kAcceptRetry);
  retry_->async_wait([this](boost::system::error_code error) {
    if (!error) accept();
  });
}

void HttpServer::stop() noexcept {
  if (!io_) return;
  io_->stop();
  for (std::thread& runner : runners_) runner.join();
  runners_.clear();
  // No thread runs the io_context now: destroying it closes every socket
  // and releases every session still waiting for bytes.
  retry_.reset();
  acceptor_.reset();
  io_.reset();
}

}  // namespace vigil::http
