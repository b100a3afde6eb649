// The application behind the host-services `app` table: what feeds and
// transports call. It turns ticks into engine work on the right shard and
// answers the transport's calls.
//
// Operations answered by `call` (vigil_app_request.operation):
//   system.health   JSON {"status":"ok"|"degraded","feeds":[...],
//                   "stale_instruments":[...],"store":{...},"alerts":{counts}};
//                   VIGIL_UNAVAILABLE when degraded (a feed failed, an
//                   instrument went stale: no tick for stale_after_ms within
//                   its trading hours, or the store's last commits failed
//                   as unavailable). Unauthenticated, so it carries counts
//                   and states only: no ids, no store error text.
//   admin.health    the same view with the details (silent device ids,
//                   overdue command ids, the store's last error); always OK
//   system.metrics  Prometheus text of the host's metrics
//   admin.push_tick body {"instrument","bid","ask","time"?}: a pushed price,
//                   through the same guards and engine as a feed's tick
//   admin.*, client.*, auth.device_secret: the workflow (workflow.hpp),
//                   once enable_workflow() gave it a store and a cipher;
//                   client.* calls carry the authenticated device id as
//                   principal
// Admin operations need params {"bearer": TOKEN} equal to the configured
// admin token (compared in constant time); with none configured they answer
// "admin_api_closed" — the admin API is never open by default.
// Anything else: VIGIL_UNSUPPORTED, error code "unsupported_operation".
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/app/engine_shard.hpp"
#include "core/app/price_guard.hpp"
#include "core/app/trading_hours.hpp"
#include "core/support/metrics.hpp"
#include "core/workflow/store_health.hpp"
#include "core/workflow/workflow.hpp"
#include "vigil/app.h"

namespace vigil::core {

// What the host knows of one running feed, for health and metrics.
struct FeedStatus {
  std::string name;
  bool running = false;
  bool connected = false;
  int64_t last_tick_unix_ms = 0;
  uint64_t ticks_published = 0;
  uint64_t rows_skipped = 0;
  std::string error;  // why it stopped, if it failed
};

class Application {
 public:
  // `shards` engines (at least one); instruments go to shard id % shards.
  // Every feed's ticks pass the price guards first (GuardOptions).
  Application(Instruments instruments, std::vector<EngineRule> rules, size_t shards, Metrics& metrics,
              const GuardOptions& guards = {});
  ~Application();

  // The table a feed named `name` publishes through (one per feed, so
  // counters say which feed a tick came from). `source` is the name
  // instruments' source lists use for it. Valid while this lives.
  const vigil_app* feed_port(const std::string& name, const std::string& source = {});
  // Primary and fallbacks for one instrument (set before feeds start): a
  // tick counts only from the first source that quoted the instrument in
  // the last `failover_after_ms`; the others stand by.
  void set_sources(InstrumentId instrument, std::vector<std::string> sources, int64_t failover_after_ms);
  // When the instrument trades (staleness is judged only then) and whether
  // the first tick after a stale gap waits for the next to confirm it. Set
  // before feeds start; without it the instrument always trades.
  void set_staleness(InstrumentId instrument, TradingHours hours, bool hold_when_stale);
  // The table a transport calls.
  const vigil_app* transport_port() const noexcept { return &transport_table_; }
  // Opens the admin API with this token (empty keeps it closed).
  void set_admin_token(std::string token) { admin_token_ = std::move(token); }
  bool admin_api_open() const noexcept { return !admin_token_.empty(); }
  // Turns on the position workflow over this store and cipher (both must
  // outlive the application): recovers the store's state, re-watches open
  // positions and starts escalation. Without it only system.* and
  // admin.push_tick are served.
  void enable_workflow(const Component<vigil_store_vtable>& store, const Component<vigil_cipher_vtable>& cipher,
                       std::vector<std::string> rule_names, WorkflowOptions options);
  // Where health() learns about feeds.
  void set_feed_status_source(std::function<std::vector<FeedStatus>()> source);

  const Instruments& instruments() const noexcept { return instruments_; }
  // How the workflow reaches the engines: positions go to their shard.
  // Public for benchmarks and tests that watch positions without a store.
  EngineLink engine_link();
  // Waits until every shard has processed what was posted so far.
  void drain();

 private:
  struct FeedPort;
  struct InstrumentState;
  vigil_status publish(FeedPort& port, const vigil_tick& tick, vigil_error* error);
  bool from_active_source(InstrumentState& state, const FeedPort& port, InstrumentId instrument, int64_t now);
  vigil_status call(const vigil_app_request& request, vigil_sink* answer, vigil_app_reply* reply);
  bool admin_allowed(const vigil_app_request& request, std::string& code, std::string& message) const;
  std::string push_tick(const vigil_app_request& request);
  void on_events(size_t shard, std::vector<CloseEvent>& events, std::vector<RuleUpdate>& updates);
  EngineShard& shard_of(InstrumentId instrument) { return *shards_[instrument % shards_.size()]; }
  std::string validate_position(const NewPosition& position);
  void run_maintenance();
  std::string health_json(bool& healthy, bool detail) const;
  std::vector<std::string> stale_instruments() const;
  bool is_stale(const InstrumentState& state, int64_t now) const;
  std::string metrics_text() const;

  Instruments instruments_;
  Metrics& metrics_;
  std::vector<std::unique_ptr<EngineShard>> shards_;
  std::vector<std::unique_ptr<FeedPort>> feed_ports_;
  FeedPort* push_port_ = nullptr;  // where admin.push_tick publishes
  std::string admin_token_;
  GuardOptions guard_options_;
  std::vector<std::unique_ptr<InstrumentState>> instrument_states_;
  int64_t started_ms_;
  std::function<std::vector<FeedStatus>()> feed_status_;
  std::atomic<uint64_t> ticks_{0}, rejected_ticks_{0}, guarded_ticks_{0}, close_events_{0}, standby_ticks_{0};
  vigil_app transport_table_{};
  // Engine handles of watched positions by key, one map per shard, each
  // touched only on its shard's thread.
  std::vector<std::unordered_map<uint64_t, PositionHandle>> handles_;
  std::unique_ptr<StoreHealth> store_health_;  // outlives workflow_, whose StorePort writes it
  std::unique_ptr<Workflow> workflow_;
  std::mutex maintenance_mutex_;
  std::condition_variable maintenance_wake_;
  bool stopping_ = false;
  std::thread maintenance_;
};

}  // namespace vigil::core
