#include "pistache_handler.hpp"

#include <pistache/peer.h>
#include <sys/socket.h>

#include <exception>
#include <memory>
#include <vector>

#include "connection_policy.hpp"

namespace vigil::http {
namespace {

namespace Http = Pistache::Http;
using Sent = Pistache::Async::Promise<ssize_t>;

ConnectionAsk asked(const Http::Request& request) {
  auto header = request.headers().tryGet<Http::Header::Connection>();
  if (!header) return ConnectionAsk::nothing;
  switch (header->control()) {
    case Http::ConnectionControl::KeepAlive:
      return ConnectionAsk::keep_alive;
    case Http::ConnectionControl::Close:
      return ConnectionAsk::close;
    default:
      return ConnectionAsk::nothing;
  }
}

std::vector<Http::Method> methods(const std::vector<std::string>& names) {
  std::vector<Http::Method> out;
  for (const std::string& name : names) {
#define METHOD(m, text) \
  if (name == text) out.push_back(Http::Method::m);
    HTTP_METHODS
#undef METHOD
  }
  return out;
}

Sent write(Http::ResponseWriter& response, const HttpReply& reply, bool keep) {
  // Pistache pre-fills a Connection header and add() would not replace it.
  response.headers().remove<Http::Header::Connection>();
  response.headers().add<Http::Header::Connection>(keep ? Http::ConnectionControl::KeepAlive
                                                        : Http::ConnectionControl::Close);
  if (!reply.allow.empty()) response.headers().add<Http::Header::Allow>(methods(reply.allow));
  return response.send(static_cast<Http::Code>(reply.status), reply.body,
                       Http::Mime::MediaType::fromString(reply.content_type));
}

// Runs once the answer is written (or failed to be). When the answer said
// "close", half-closes: the client reads the answer, sees the end and closes,
// and Pistache then drops the peer; a full close here could reset the
// connection before the client has read the answer. The peer is held weakly:
// if Pistache already dropped it, its fd may belong to someone else.
// `in_flight` (may be null) counts the request out.
void after_written(Sent& sent, std::weak_ptr<Pistache::Tcp::Peer> peer, bool keep, InFlight* in_flight) {
  sent.then(
      [peer, keep, in_flight](ssize_t) {
        if (auto alive = peer.lock(); alive && !keep) ::shutdown(alive->fd(), SHUT_WR);
        if (in_flight) in_flight->leave();
      },
      [in_flight](std::exception_ptr) {
        if (in_flight) in_flight->leave();
      });
}

// While stop() drains, new requests learn to go elsewhere.
void refuse(Http::ResponseWriter& response) {
  HttpReply reply = error_reply(503, "unavailable", "The server is shutting down.");
  auto peer = response.peer();
  Sent sent = write(response, reply, false);
  after_written(sent, peer, false, nullptr);
}

void last_resort(Http::ResponseWriter& response) noexcept {
  try {
    response.send(Http::Code::Internal_Server_Error, R"({"error":{"code":"internal","message":"internal error"}})",
                  Http::Mime::MediaType(Http::Mime::Type::Application, Http::Mime::Subtype::Json));
  } catch (...) {
    // The connection is gone or memory is out: there is no one left to answer.
  }
}

}  // namespace

PistacheHandler::PistacheHandler(Dispatcher& dispatcher, InFlight& in_flight, bool keep_alive_enabled)
    : dispatcher_(&dispatcher), in_flight_(&in_flight), keep_alive_enabled_(keep_alive_enabled) {}

void PistacheHandler::onRequest(const Http::Request& request, Http::ResponseWriter response) {
  // Nothing may escape: Pistache would answer 500 with the exception's text.
  if (!in_flight_->enter()) {
    try {
      refuse(response);
    } catch (...) {
      last_resort(response);
    }
    return;
  }
  try {
    auto header = [&request](const char* name) {
      auto raw = request.headers().tryGetRaw(name);
      return raw ? raw->value() : std::string();
    };
    std::string bearer = header("Authorization");
    // Pistache 0.0.5 keeps the query only as parsed parameters; as_str()
    // rebuilds "?k=v&..." from them, which is the raw query for the EA API's
    // single parameter (wait) but may reorder several.
    std::string query = request.query().as_str();
    if (!query.empty() && query[0] == '?') query.erase(0, 1);
    HttpReply reply =
        dispatcher_->dispatch({Http::methodString(request.method()),
                               request.resource(),
                               request.body(),
                               bearer,
                               query,
                               {header("X-Device-Id"), header("X-Timestamp"), header("X-Nonce"), header("X-Signature")},
                               {}});
    bool keep = keep_alive(keep_alive_enabled_, request.version() == Http::Version::Http11, asked(request));
    auto peer = response.peer();
    Sent sent = write(response, reply, keep);
    after_written(sent, peer, keep, in_flight_);  // last: from here on the promise counts the request out
  } catch (...) {
    last_resort(response);
    in_flight_->leave();
  }
}

}  // namespace vigil::http
