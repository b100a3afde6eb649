#include "http_server.hpp"

#include <boost/asio/strand.hpp>
#include <chrono>
#include <string>

namespace vigil::http {
namespace {

namespace net = boost::asio;
using net::ip::tcp;

// After a failed accept (out of descriptors, above all), how long to wait
// before trying again: soon enough to serve again quickly, late enough not
// to spin on an error that persists.
constexpr std::chrono::milliseconds kAcceptRetry{100};

HttpReply too_many_connections(ConnectionRefusal refusal, const ConnectionLimits& limits) {
  HttpReply reply = refusal == ConnectionRefusal::per_source
                        ? error_reply(503, "too_many_connections",
                                      "This address has " + std::to_string(limits.max_per_source()) +
                                          " connections open, the most one address may hold; close one or retry later.")
                        : error_reply(503, "too_many_connections",
                                      "The server has " + std::to_string(limits.max_total()) +
                                          " connections open, the most it holds; retry later.");
  reply.retry_after_seconds = 1;
  return reply;
}

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
    admit(std::move(socket));
    accept();
  });
}

void HttpServer::admit(tcp::socket socket) {
  boost::system::error_code error;
  tcp::endpoint peer = socket.remote_endpoint(error);
  if (error) return;                              // the client left already
  socket.set_option(tcp::no_delay(true), error);  // answers are small: send them now
  Admission admission = context_.connections->admit(peer.address());
  if (admission.slot) {
    std::make_shared<HttpSession>(std::move(socket), context_, std::move(admission.slot))->start();
    return;
  }
  context_.metrics->record_refused_connection(refusal_label(admission.refusal));
  ConnectionSlot refusing = context_.connections->refusing();
  if (!refusing) return;  // the refusal budget is spent: the socket closes here
  std::make_shared<HttpSession>(std::move(socket), context_, std::move(refusing))
      ->refuse(too_many_connections(admission.refusal, *context_.connections));
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
