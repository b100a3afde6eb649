// The application behind the host-services `app` table: what feeds and
// transports call. A composition of its parts, each in its own unit:
//   FeedIntake    ticks from feeds and pushes: source failover, price
//                 guards, staleness bookkeeping, then the engines
//   EngineShards  the engines, one thread each, and the positions they watch
//   Health        system.health and admin.health
//   AdminAuth     who may call admin.*
//   Maintenance   the workflow's escalation timer
//   Workflow      positions, devices and commands over a store
//                 (enable_workflow)
// Every reader of the time of day goes through the Clock the host gives.
//
// Operations answered by `call` (vigil_app_request.operation):
//   system.health   Health's JSON; VIGIL_UNAVAILABLE, code "degraded", when
//                   degraded. Unauthenticated, so counts and states only.
//   admin.health    the same view with the details; always OK
//   system.metrics  Prometheus text of the host's metrics
//   admin.push_tick body {"instrument","bid","ask","time"?} (pushed_tick.hpp):
//                   a pushed price, through the same guards and engine as a
//                   feed's tick; VIGIL_INVALID_ARGUMENT naming the field
//   admin.*, client.*: the workflow (workflow.hpp),
//                   once enable_workflow() gave it a store and a cipher
//                   (before: VIGIL_UNAVAILABLE, "no_store"); client.* calls
//                   carry the authenticated device id as principal
// Admin operations need params {"bearer": TOKEN} (AdminAuth); with no token
// configured they answer "admin_api_closed".
// Any operation's params may carry "request_id", the transport's id for the
// request: every line logged while the call is answered carries it (and the
// principal as device_id), so an HTTP answer can be found in the log.
// Anything else: VIGIL_UNSUPPORTED, error code "unsupported_operation".
//
// Ownership: `metrics` and `clock` must outlive the application, and so
// must the store and cipher given to enable_workflow.
// Threading: configure (set_*, enable_workflow, feed_port) before feeds and
// the transport start, except feed_port, which a reload also calls from one
// thread; the tables' functions are thread-safe. Destruction stops the
// cluster's threads (shards given back), then the maintenance timer, then
// the engines (no event after), then the workflow.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/app/admin_auth.hpp"
#include "core/app/call_reply.hpp"
#include "core/app/device_verifier.hpp"
#include "core/app/engine_shards.hpp"
#include "core/app/feed_intake.hpp"
#include "core/app/health.hpp"
#include "core/app/maintenance.hpp"
#include "core/cluster/cluster.hpp"
#include "core/support/clock.hpp"
#include "core/support/metrics.hpp"
#include "core/workflow/store_health.hpp"
#include "core/workflow/workflow.hpp"
#include "vigil/app.h"

namespace vigil::core {

class Application {
 public:
  // `shards` engines (at least one); instruments go to shard id % shards.
  // Every feed's ticks pass the price guards first (GuardOptions).
  Application(Instruments instruments, std::vector<EngineRule> rules, size_t shards, Metrics& metrics,
              const GuardOptions& guards = {}, const Clock& clock = wall_clock());
  ~Application();
  Application(const Application&) = delete;
  Application& operator=(const Application&) = delete;

  // The table a feed named `name` publishes through (its name tags the
  // feed's log lines). `source` is the name instruments' source lists use
  // for it. Valid while this lives.
  const vigil_app* feed_port(const std::string& name, const std::string& source = {}) {
    return intake_.port(name, source);
  }
  // Primary and fallbacks for one instrument (SourceFailover).
  void set_sources(InstrumentId instrument, std::vector<std::string> sources, int64_t failover_after_ms) {
    intake_.set_sources(instrument, std::move(sources), failover_after_ms);
  }
  // When the instrument trades (staleness is judged only then) and whether
  // the first tick after a stale gap waits for the next to confirm it.
  // Without it the instrument always trades.
  void set_staleness(InstrumentId instrument, TradingHours hours, bool hold_when_stale) {
    intake_.set_staleness(instrument, std::move(hours), hold_when_stale);
  }
  // The table a transport calls.
  const vigil_app* transport_port() const noexcept { return &transport_table_; }
  // Opens the admin API with this token (empty keeps it closed).
  void set_admin_token(std::string token) { admin_.set_token(std::move(token)); }
  bool admin_api_open() const noexcept { return admin_.open(); }
  // Turns on the position workflow over this store and cipher: recovers the
  // store's state, re-watches open positions and starts escalation. Without
  // it only system.* and admin.push_tick are served. With `cluster`, this
  // host is one of several sharing the store (core/cluster/README.md);
  // throws std::invalid_argument when the store cannot serve several hosts.
  void enable_workflow(const Component<vigil_store_vtable>& store, const Component<vigil_cipher_vtable>& cipher,
                       std::vector<std::string> rule_names, WorkflowOptions options,
                       std::optional<ClusterOptions> cluster = std::nullopt);
  // The HMAC-SHA256 behind the transport's verify_device (DeviceVerifier):
  // core links no crypto, so the host gives it. Without it verify_device
  // answers VIGIL_INTERNAL.
  void set_device_hmac(DeviceVerifier::Hmac hmac);
  // The stores' audit row hash, so GET /audit recomputes each row's hash
  // (core links no crypto). After enable_workflow; none without a store.
  void set_audit_hasher(AuditReader::Hasher hasher) {
    if (workflow_) workflow_->set_audit_hasher(std::move(hasher));
  }
  // Where health learns about feeds.
  void set_feed_status_source(std::function<std::vector<FeedStatus>()> source) {
    health_.set_feed_status_source(std::move(source));
  }

  const Instruments& instruments() const noexcept { return instruments_; }
  // How the workflow reaches the engines: positions go to their shard.
  // Public for benchmarks and tests that watch positions without a store.
  EngineLink engine_link();
  // Waits until every shard has processed what was posted so far and handed
  // on the events it produced.
  void drain() { shards_.drain(); }

 private:
  void make_transport_table();
  vigil_status claim_nonce(std::string_view device_id, std::string_view nonce, int64_t expires_at, vigil_error* error);
  vigil_status call(const vigil_app_request& request, vigil_sink* answer, vigil_app_reply* reply);
  vigil_status route(std::string_view operation, const vigil_app_request& request, CallReply& out);
  vigil_status call_workflow(std::string_view operation, const vigil_app_request& request, CallReply& out);
  vigil_status push_tick(const vigil_app_request& request, CallReply& out);
  std::string metrics_text() const;
  // vigil_instrument_stale{instrument}: 1 while health counts it stale.
  void export_staleness() const;

  // Declared in the order they may be destroyed in reverse: the timer
  // before the engines, the engines (whose events reach the workflow)
  // before the cluster whose ownership they ask, the workflow before the
  // store health it writes. The cluster's own threads, which reach the
  // workflow and the engines, are stopped first (~Application).
  Instruments instruments_;
  Metrics& metrics_;
  const Clock& clock_;
  AdminAuth admin_;
  std::unique_ptr<StoreHealth> store_health_;
  std::unique_ptr<Workflow> workflow_;
  std::unique_ptr<StorePort> nonce_store_;  // claims nonces for every host (cluster only)
  std::unique_ptr<Cluster> cluster_;        // the workflow asks its ownership from every thread
  FeedIntake intake_;
  Health health_;
  EngineShards shards_;
  std::unique_ptr<Maintenance> maintenance_;
  std::optional<DeviceVerifier> device_verifier_;  // reads workflow_
  vigil_app transport_table_{};
};

}  // namespace vigil::core
