// transport-http: serves Vigil over HTTP with Pistache 0.0.5.
//
// Serves the EA API (CONTRACT.md section 2, device-signed), the admin API
// (section 3, bearer token checked by the host), GET /healthz and
// GET /metrics. See README.md for options and limits.
#include <pistache/endpoint.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

#include "admin_routes.hpp"
#include "app_client.hpp"
#include "client_routes.hpp"
#include "dispatcher.hpp"
#include "http_metrics.hpp"
#include "in_flight.hpp"
#include "options.hpp"
#include "pistache_handler.hpp"
#include "router.hpp"
#include "system_routes.hpp"
#include "vigil/sdk.hpp"

namespace vigil::http {
namespace {

// Pistache's maxRequestSize counts the request line and headers too; this is
// their share, so that a body of exactly max_body_bytes still gets through
// and one just over it reaches the dispatcher's JSON 413.
constexpr size_t kHeaderRoom = 16 * 1024;

// How long stop() lets requests in flight finish before shutting down anyway.
constexpr std::chrono::milliseconds kDrainTimeout{5000};

// Resolved at create, so that a bad host is a config error, not a start error.
Pistache::Address resolve(const Options& options) {
  try {
    return Pistache::Address(options.host, Pistache::Port(options.port));
  } catch (const std::exception& e) {
    throw std::invalid_argument("transport-http: option listen: cannot use \"" + host_port(options.host, options.port) +
                                "\": " + e.what());
  }
}

Pistache::Http::Endpoint::Options server_options(const Options& o) {
  using std::chrono::milliseconds;
  return Pistache::Http::Endpoint::options()
      .threads(o.threads)
      .flags(Pistache::Tcp::Options::ReuseAddr)
      .maxRequestSize(o.max_body_bytes + kHeaderRoom)
      .headerTimeout(milliseconds(o.header_timeout_ms))
      .bodyTimeout(milliseconds(o.body_timeout_ms))
      .keepaliveTimeout(milliseconds(o.keep_alive_timeout_ms));
}

class HttpTransport final : public sdk::Transport {
 public:
  explicit HttpTransport(const sdk::CreateArgs& args)
      : host_(args.host),
        options_(parse_options(args.options_json)),
        address_(resolve(options_)),
        app_(host_.app()),
        dispatcher_(router_, metrics_, host_, options_.max_body_bytes),
        auth_(app_, options_.auth),
        // One worker always stays free for everything that is not a long-poll.
        long_poll_(app_, static_cast<size_t>(std::max(1, options_.threads - 1))) {
    add_system_routes(router_, app_, metrics_);
    add_admin_routes(router_, app_);
    add_client_routes(router_, app_, auth_, long_poll_, host_);
  }

  ~HttpTransport() override { stop(); }

  void start() override {
    std::lock_guard lock(mutex_);
    if (server_) throw sdk::Error(VIGIL_CONFLICT, "transport-http: already listening on " + url());
    in_flight_.reopen();
    long_poll_.reopen();
    auto server = std::make_unique<Pistache::Http::Endpoint>(address_);
    server->init(server_options(options_));
    server->setHandler(Pistache::Http::make_handler<PistacheHandler>(dispatcher_, in_flight_, options_.keep_alive));
    try {
      server->serveThreaded();  // binds and listens before it returns
    } catch (const std::exception& e) {
      throw sdk::Error(VIGIL_UNAVAILABLE,
                       "cannot listen on " + host_port(options_.host, options_.port) + ": " + e.what());
    }
    bound_port_ = static_cast<uint16_t>(server->getPort());
    server_ = std::move(server);
    host_.info("listening on " + url());
  }

  void stop() noexcept override {
    std::lock_guard lock(mutex_);
    if (!server_) return;
    try {
      long_poll_.stop();  // parked long-polls answer now, with what they have
      if (!in_flight_.drain(kDrainTimeout))
        host_.warn("stopping with requests still in flight after " + std::to_string(kDrainTimeout.count()) + " ms");
      server_->shutdown();
      server_.reset();  // joins Pistache's threads: no handler runs after this
      host_.info("stopped listening on " + url());
    } catch (const std::exception& e) {
      host_.error(std::string("stopping: ") + e.what());
      server_.reset();
    }
  }

  std::string endpoint() const override {
    std::lock_guard lock(mutex_);
    if (bound_port_ == 0 && options_.port == 0)
      throw sdk::Error(VIGIL_UNAVAILABLE, "transport-http: the port is chosen when it starts listening");
    return url();
  }

 private:
  // The real port once started (listen may say 0), else the configured one.
  std::string url() const { return "http://" + host_port(options_.host, bound_port_ ? bound_port_ : options_.port); }

  sdk::Host host_;
  Options options_;
  Pistache::Address address_;
  AppClient app_;
  Router router_;
  HttpMetrics metrics_;
  Dispatcher dispatcher_;
  InFlight in_flight_;
  DeviceAuth auth_;
  LongPoll long_poll_;

  mutable std::mutex mutex_;
  std::unique_ptr<Pistache::Http::Endpoint> server_;
  uint16_t bound_port_ = 0;
};

}  // namespace
}  // namespace vigil::http

VIGIL_PLUGIN("transport-http", "0.2.0", "HTTP transport on Pistache: EA API, admin API, /healthz, /metrics",
             vigil::sdk::transport<vigil::http::HttpTransport>())
