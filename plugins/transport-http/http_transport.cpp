// transport-http: serves Vigil over HTTP with Boost.Beast.
//
// Serves the EA API (docs/http-api.md, device-signed), the admin API
// (section 3, bearer token checked by the host), GET /healthz and
// GET /metrics. See README.md for options and limits.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/system_error.hpp>

#include <chrono>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

#include "admin_routes.hpp"
#include "app_client.hpp"
#include "client_routes.hpp"
#include "connection_limits.hpp"
#include "console_routes.hpp"
#include "dispatcher.hpp"
#include "http_metrics.hpp"
#include "http_server.hpp"
#include "in_flight.hpp"
#include "options.hpp"
#include "router.hpp"
#include "system_routes.hpp"
#include "vigil/sdk.hpp"

namespace vigil::http {
namespace {

using boost::asio::ip::tcp;

// Refused connections told so at once (each lingers up to 2 s to read the
// 503); past this many, a refused connection is closed without a word, so
// that a flood of refusals costs no more than this.
constexpr size_t kMaxRefusing = 1024;
// Descriptors kept for everything besides connections: the store, logs, plugins.
constexpr size_t kDescriptorsBesideConnections = 1024;
// How long stop() lets requests in flight finish before shutting down anyway.
constexpr std::chrono::milliseconds kDrainTimeout{5000};

// Resolved at create, so that a bad host is a config error, not a start error.
tcp::endpoint resolve(const Options& options) {
  std::string host = options.host;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  try {
    boost::asio::io_context io;
    tcp::resolver resolver(io);
    auto results = resolver.resolve(host, std::to_string(options.port), tcp::resolver::numeric_service);
    return results.begin()->endpoint();
  } catch (const std::exception& e) {
    throw std::invalid_argument("transport-http: option listen: cannot use \"" + host_port(options.host, options.port) +
                                "\": " + e.what());
  }
}

SessionSettings session_settings(const Options& o) {
  using std::chrono::milliseconds;
  SessionSettings s;
  s.limits.max_body_bytes = o.max_body_bytes;
  s.header_timeout = milliseconds(o.header_timeout_ms);
  s.body_timeout = milliseconds(o.body_timeout_ms);
  s.idle_timeout = milliseconds(o.keep_alive_timeout_ms);
  s.keep_alive_enabled = o.keep_alive;
  return s;
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
        long_poll_(app_, options_.max_parked_waits),
        connections_(options_.max_connections, options_.max_connections_per_source, kMaxRefusing),
        sessions_{session_settings(options_), &dispatcher_, &in_flight_, &long_poll_, &connections_, &metrics_} {
    metrics_.sample_gauges_with([this] { return HttpMetrics::Gauges{connections_.open(), long_poll_.parked()}; });
    add_system_routes(router_, app_, metrics_);
    add_admin_routes(router_, app_);
    add_client_routes(router_, app_, auth_, host_);
    add_console(options_.console_dir);
  }

  ~HttpTransport() override { stop(); }

  void start() override {
    std::lock_guard lock(mutex_);
    if (server_) throw sdk::Error(VIGIL_CONFLICT, "transport-http: already listening on " + url());
    in_flight_.reopen();
    long_poll_.reopen();
    reserve_descriptors();
    auto server = std::make_unique<HttpServer>(address_, options_.threads, sessions_);
    try {
      bound_port_ = server->start();  // listening before it returns
    } catch (const boost::system::system_error& e) {
      throw sdk::Error(VIGIL_UNAVAILABLE,
                       "cannot listen on " + host_port(options_.host, options_.port) + ": " + e.code().message());
    }
    server_ = std::move(server);
    host_.info("listening on " + url());
  }

  void stop() noexcept override {
    std::lock_guard lock(mutex_);
    if (!server_) return;
    long_poll_.stop();  // parked long-polls answer now, with what they have
    if (!in_flight_.drain(kDrainTimeout))
      host_.warn("stopping with requests still in flight after " + std::to_string(kDrainTimeout.count()) + " ms");
    long_poll_.join();  // while the server runs: the queries' answers are posted to it
    server_->stop();    // joins the server's threads: no handler runs after this
    server_.reset();
    host_.info("stopped listening on " + url());
  }

  std::string endpoint() const override {
    std::lock_guard lock(mutex_);
    if (bound_port_ == 0 && options_.port == 0)
      throw sdk::Error(VIGIL_UNAVAILABLE, "transport-http: the port is chosen when it starts listening");
    return url();
  }

 private:
  void add_console(const std::string& console_dir) {
    console_ = ConsoleFiles::for_option(console_dir);
    if (console_.files.empty())
      return host_.warn("no console files in " + console_.dir.string() + ": /console is not served");
    add_console_routes(router_, app_, console_);
    host_.info("console: " + std::to_string(console_.files.size()) + " files from " + console_.dir.string());
    for (const std::string& file : console_.skipped) host_.warn("console: not serving " + file);
  }

  // Without enough descriptors, accepts would fail (and be retried) below
  // max_connections instead of being refused clearly: raise the soft limit,
  // and say so when the hard one is too low.
  void reserve_descriptors() {
    size_t wanted = options_.max_connections + kMaxRefusing + kDescriptorsBesideConnections;
    size_t limit = raise_descriptor_limit(wanted);
    if (limit < wanted)
      host_.warn("the open file limit is " + std::to_string(limit) + ", below the " + std::to_string(wanted) +
                 " that max_connections " + std::to_string(options_.max_connections) +
                 " needs: raise it (ulimit -n, LimitNOFILE=) or lower max_connections");
  }

  // The real port once started (listen may say 0), else the configured one.
  std::string url() const { return "http://" + host_port(options_.host, bound_port_ ? bound_port_ : options_.port); }

  sdk::Host host_;
  Options options_;
  tcp::endpoint address_;
  AppClient app_;
  Router router_;
  HttpMetrics metrics_;
  Dispatcher dispatcher_;
  InFlight in_flight_;
  DeviceAuth auth_;
  LongPoll long_poll_;
  ConnectionLimits connections_;
  SessionContext sessions_;
  ConsoleFiles console_;

  mutable std::mutex mutex_;
  std::unique_ptr<HttpServer> server_;
  uint16_t bound_port_ = 0;
};

}  // namespace
}  // namespace vigil::http

VIGIL_PLUGIN("transport-http", "0.3.0", "HTTP transport on Boost.Beast: EA API, admin API, /healthz, /metrics",
             vigil::sdk::transport<vigil::http::HttpTransport>())
