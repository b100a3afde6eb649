#include "core/app/application.hpp"

#include <algorithm>
#include <chrono>
#include <future>
#include <nlohmann/json.hpp>

#include "core/support/json_fields.hpp"
#include "core/support/log.hpp"
#include "core/workflow/api_error.hpp"
#include "core/workflow/body_limits.hpp"
#include "vigil/cpp/decimal.hpp"
#include "vigil/cpp/error.hpp"
#include "vigil/cpp/iso_time.hpp"

namespace vigil::core {

namespace {

int64_t wall_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// The store as its last commits found it. The error text (hosts, sockets,
// files) is for the admin view only.
nlohmann::json store_json(const std::string& name, const StoreHealthView& health, bool detail) {
  nlohmann::json out = {{"name", name}, {"ok", health.ok}};
  if (health.last_ok_ms) out["last_ok_unix_ms"] = health.last_ok_ms;
  if (!health.ok) {
    out["failing_since_unix_ms"] = health.failing_since_ms;
    out["failed_attempts"] = health.failures;
    out["error"] = detail ? health.last_error : "unavailable";
  }
  return out;
}

}  // namespace

// One instrument's guard, behind a lock: several feeds may quote it.
struct Application::InstrumentState {
  std::mutex mutex;
  PriceGuard guard;
  std::atomic<int64_t> last_tick_ms{0};
  std::vector<std::string> sources;     // empty: any feed
  std::vector<int64_t> source_last_ms;  // per source, 0 = never
  int64_t failover_after_ms = 0;
  size_t active = SIZE_MAX;  // index into sources
  TradingHours hours;        // set before feeds start, read without the lock
  explicit InstrumentState(const GuardOptions& options) : guard(options) {}
};

struct Application::FeedPort {
  Application* app;
  std::string name;
  std::string source;
  vigil_app table{};
  std::atomic<uint64_t> ticks{0}, rejected{0};
};

Application::Application(Instruments instruments, std::vector<EngineRule> rules, size_t shards, Metrics& metrics,
                         const GuardOptions& guards)
    : instruments_(std::move(instruments)), metrics_(metrics), guard_options_(guards), started_ms_(wall_ms()) {
  for (size_t i = 0; i < instruments_.size(); ++i)
    instrument_states_.push_back(std::make_unique<InstrumentState>(guard_options_));
  if (shards == 0) shards = 1;
  handles_.resize(shards);
  for (size_t i = 0; i < shards; ++i)
    shards_.push_back(std::make_unique<EngineShard>(
        instruments_, rules, [this, i](std::vector<CloseEvent>& events, std::vector<RuleUpdate>& updates) {
          on_events(i, events, updates);
        }));
  feed_port("push");  // pushed prices are a feed of their own
  push_port_ = feed_ports_.back().get();
  transport_table_.struct_size = sizeof transport_table_;
  transport_table_.ctx = this;
  transport_table_.call = [](void* ctx, const vigil_app_request* request, vigil_sink* answer,
                             vigil_app_reply* reply) noexcept -> vigil_status {
    return static_cast<Application*>(ctx)->call(*request, answer, reply);
  };
  transport_table_.watch = [](void* ctx, vigil_str device_id, void (*wake)(void*), void* user) noexcept -> uint64_t {
    auto& app = *static_cast<Application*>(ctx);
    if (!app.workflow_) return 0;
    try {
      return app.workflow_->watch(std::string(sdk::view(device_id)), wake, user);
    } catch (...) {
      return 0;
    }
  };
  transport_table_.unwatch = [](void* ctx, uint64_t token) noexcept {
    auto& app = *static_cast<Application*>(ctx);
    if (app.workflow_) app.workflow_->unwatch(token);
  };
}

Application::~Application() {
  {
    std::lock_guard lock(maintenance_mutex_);
    stopping_ = true;
  }
  maintenance_wake_.notify_all();
  if (maintenance_.joinable()) maintenance_.join();
  shards_.clear();  // joins the shards: no more events for the workflow
  workflow_.reset();
}

void Application::enable_workflow(const Component<vigil_store_vtable>& store,
                                  const Component<vigil_cipher_vtable>& cipher, std::vector<std::string> rule_names,
                                  WorkflowOptions options) {
  store_health_ = std::make_unique<StoreHealth>(store.name());
  workflow_ = std::make_unique<Workflow>(instruments_, StorePort(store, store_health_.get()), CipherPort(cipher),
                                         std::move(rule_names), engine_link(), options, metrics_, wall_ms);
  workflow_->recover();
  maintenance_ = std::thread([this] { run_maintenance(); });
}

// Escalation runs on its own clock: five times a second is fine-grained
// enough for second-scale alert and expiry times, and costs nothing idle.
void Application::run_maintenance() {
  std::unique_lock lock(maintenance_mutex_);
  while (!maintenance_wake_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stopping_; })) {
    lock.unlock();
    try {
      workflow_->maintain();
    } catch (const std::exception& e) {
      log(LogLevel::error, "workflow", std::string("maintenance failed: ") + e.what());
    }
    lock.lock();
  }
}

EngineLink Application::engine_link() {
  EngineLink link;
  link.watch = [this](const NewPosition& position) {
    size_t shard = position.instrument % shards_.size();
    shards_[shard]->post([this, shard, position](Engine& engine) {
      try {
        handles_[shard][position.key] = engine.add(position);
      } catch (const PositionRejected& e) {
        log(LogLevel::error, "engine", std::string("position not watched: ") + e.what());
      }
    });
  };
  link.unwatch = [this](uint64_t key, InstrumentId instrument) {
    size_t shard = instrument % shards_.size();
    shards_[shard]->post([this, shard, key](Engine& engine) {
      auto it = handles_[shard].find(key);
      if (it == handles_[shard].end()) return;
      engine.remove(it->second);
      handles_[shard].erase(it);
    });
  };
  link.validate = [this](const NewPosition& position) { return validate_position(position); };
  link.market_price = [this](InstrumentId instrument, Side side) {
    InstrumentState& state = *instrument_states_.at(instrument);
    std::lock_guard lock(state.mutex);
    return side == Side::buy ? state.guard.last_bid() : state.guard.last_ask();
  };
  return link;
}

// Attaches the rules to a probe copy of the position on its shard and takes
// it off again: the rules' own verdict, before anything is stored.
std::string Application::validate_position(const NewPosition& position) {
  auto verdict = std::make_shared<std::promise<std::string>>();
  std::future<std::string> answer = verdict->get_future();
  NewPosition probe = position;
  probe.key = UINT64_MAX;
  probe.opened_at_unix_ms = INT64_MAX;  // never armed
  shard_of(position.instrument).post([probe, verdict](Engine& engine) {
    try {
      engine.remove(engine.add(probe));
      verdict->set_value("");
    } catch (const std::exception& e) {
      verdict->set_value(e.what());
    }
  });
  return answer.get();
}

const vigil_app* Application::feed_port(const std::string& name, const std::string& source) {
  auto port = std::make_unique<FeedPort>();
  port->app = this;
  port->name = name;
  port->source = source.empty() ? name : source;
  port->table.struct_size = sizeof port->table;
  port->table.ctx = port.get();
  port->table.publish_tick = [](void* ctx, const vigil_tick* tick, vigil_error* error) noexcept -> vigil_status {
    auto& p = *static_cast<FeedPort*>(ctx);
    return p.app->publish(p, *tick, error);
  };
  feed_ports_.push_back(std::move(port));
  return &feed_ports_.back()->table;
}

void Application::set_sources(InstrumentId instrument, std::vector<std::string> sources, int64_t failover_after_ms) {
  InstrumentState& state = *instrument_states_.at(instrument);
  std::lock_guard lock(state.mutex);
  state.source_last_ms.assign(sources.size(), 0);
  state.sources = std::move(sources);
  state.failover_after_ms = failover_after_ms;
}

// Called with state.mutex held. Records that `port` quoted the instrument
// and says whether it is the source prices come from now.
bool Application::from_active_source(InstrumentState& state, const FeedPort& port, InstrumentId instrument,
                                     int64_t now) {
  auto it = std::find(state.sources.begin(), state.sources.end(), port.source);
  if (it == state.sources.end()) return false;
  size_t index = static_cast<size_t>(it - state.sources.begin());
  state.source_last_ms[index] = now;
  size_t active = index;
  for (size_t i = 0; i < state.sources.size(); ++i)
    if (state.source_last_ms[i] && now - state.source_last_ms[i] <= state.failover_after_ms) {
      active = i;
      break;
    }
  if (active != state.active) {
    if (state.active != SIZE_MAX)
      log(LogLevel::warn, "feeds",
          instruments_.get(instrument).symbol + ": prices now from " + state.sources[active] + " (was " +
              state.sources[state.active] + ")");
    state.active = active;
  }
  return active == index;
}

void Application::set_staleness(InstrumentId instrument, TradingHours hours, bool hold_when_stale) {
  InstrumentState& state = *instrument_states_.at(instrument);
  std::lock_guard lock(state.mutex);
  state.hours = std::move(hours);
  state.guard.set_hold_when_stale(hold_when_stale);
}

void Application::set_feed_status_source(std::function<std::vector<FeedStatus>()> source) {
  feed_status_ = std::move(source);
}

void Application::drain() {
  for (auto& shard : shards_) shard->drain();
}

vigil_status Application::publish(FeedPort& port, const vigil_tick& tick, vigil_error* error) {
  try {
    ParsedTick parsed = parse_tick(instruments_, tick);
    InstrumentState& state = *instrument_states_[parsed.instrument];
    int64_t now = wall_ms();
    GuardVerdict verdict;
    {
      std::lock_guard lock(state.mutex);
      if (!state.sources.empty() && !from_active_source(state, port, parsed.instrument, now)) {
        ++standby_ticks_;  // a standby source's tick: fine, just not used
        return VIGIL_OK;
      }
      // Staleness matters to the guard only when it holds after a gap.
      verdict = state.guard.check(parsed, state.guard.holds_when_stale() && is_stale(state, now));
      state.last_tick_ms = now;  // under the lock, so only one tick is the first after a gap
    }
    if (!verdict.refused.empty()) {
      ++guarded_ticks_;
      log(LogLevel::warn, port.name,
          instruments_.get(parsed.instrument).symbol + ": tick refused by the price guard: " + verdict.refused);
    }
    for (const ParsedTick& t : verdict.release) shards_[t.instrument % shards_.size()]->post(t);
    ++port.ticks;
    ++ticks_;
    return VIGIL_OK;
  } catch (const TickRejected& e) {
    ++port.rejected;
    ++rejected_ticks_;
    sdk::set_error(error, e.what());
    return VIGIL_INVALID_ARGUMENT;
  } catch (const std::exception& e) {
    sdk::set_error(error, e.what());
    return VIGIL_INTERNAL;
  }
}

void Application::on_events(size_t shard, std::vector<CloseEvent>& events, std::vector<RuleUpdate>& updates) {
  for (const CloseEvent& e : events) {
    ++close_events_;
    const Instrument& i = instruments_.get(e.instrument);
    if (!e.target_id.empty()) {  // the workflow closes the other position and unwatches it
      log(LogLevel::info, "engine",
          "close position " + e.target_id + ": " + e.reason + " (asked by position " + std::to_string(e.key) + ")");
      continue;
    }
    if (e.volume == 0) handles_[shard].erase(e.key);  // the engine forgot it
    log(LogLevel::info, "engine",
        "close " + i.symbol + " position " + std::to_string(e.key) + ": " + e.reason + " at " +
            sdk::format_decimal(e.price, i.digits));
  }
  if (workflow_) workflow_->on_engine_output(events, updates);
}

vigil_status Application::call(const vigil_app_request& request, vigil_sink* answer, vigil_app_reply* reply) {
  auto finish = [&](vigil_status status, const std::string& body, const char* code = "") {
    reply->status = status;
    std::snprintf(reply->error_code, sizeof reply->error_code, "%s", code);
    answer->write(answer->ctx, body.data(), body.size());
    return status;
  };
  try {
    std::string_view operation = sdk::view(request.operation);
    if (operation == "system.health") {
      bool healthy = true;
      std::string body = health_json(healthy, false);
      return finish(healthy ? VIGIL_OK : VIGIL_UNAVAILABLE, body, healthy ? "" : "degraded");
    }
    if (operation == "system.metrics") return finish(VIGIL_OK, metrics_text());
    if (operation.rfind("admin.", 0) == 0) {
      std::string code, message;
      if (!admin_allowed(request, code, message)) {
        nlohmann::json error = {{"error", {{"code", code}, {"message", message}}}};
        return finish(VIGIL_UNAUTHENTICATED, error.dump(), code.c_str());
      }
      if (operation == "admin.health") {  // the operator asked for details, not for a verdict
        bool healthy = true;
        return finish(VIGIL_OK, health_json(healthy, true));
      }
    }
    if (Workflow::handles(operation)) {
      auto error = [](const std::string& code, const std::string& message) {
        return nlohmann::json{{"error", {{"code", code}, {"message", message}}}}.dump();
      };
      if (!workflow_)
        return finish(VIGIL_UNAVAILABLE, error("no_store", "This server runs without a store and a cipher."),
                      "no_store");
      try {
        JsonFields params;
        if (request.params_json.size) params = parse_json_fields(sdk::view(request.params_json));
        return finish(VIGIL_OK,
                      workflow_->call(operation, sdk::view(request.principal), params, sdk::view(request.body_json)));
      } catch (const ApiError& e) {
        return finish(e.status(), error(e.code(), e.what()), e.code().c_str());
      }
    }
    if (operation == "admin.push_tick") {
      try {
        return finish(VIGIL_OK, push_tick(request));
      } catch (const std::invalid_argument& e) {
        nlohmann::json error = {{"error", {{"code", "invalid_argument"}, {"message", e.what()}}}};
        return finish(VIGIL_INVALID_ARGUMENT, error.dump(), "invalid_argument");
      }
    }
    nlohmann::json error = {{"error",
                             {{"code", "unsupported_operation"},
                              {"message", "this host does not offer the operation " + std::string(operation)}}}};
    return finish(VIGIL_UNSUPPORTED, error.dump(), "unsupported_operation");
  } catch (const std::exception& e) {
    log(LogLevel::error, "app", std::string("call failed: ") + e.what());
    return finish(VIGIL_INTERNAL, R"({"error":{"code":"internal","message":"internal error"}})", "internal");
  }
}

// The bearer must equal the admin token. Compared in constant time so the
// answer's timing says nothing about how much of a guess was right.
bool Application::admin_allowed(const vigil_app_request& request, std::string& code, std::string& message) const {
  if (admin_token_.empty()) {
    code = "admin_api_closed";
    message = "The admin API is closed: no admin token is configured.";
    return false;
  }
  std::string bearer;
  try {
    JsonFields params = parse_json_fields(sdk::view(request.params_json));
    if (auto it = params.find("bearer"); it != params.end()) bearer = it->second.text;
  } catch (const JsonError&) {
  }
  unsigned char differ = bearer.size() == admin_token_.size() ? 0 : 1;
  for (size_t i = 0; i < admin_token_.size(); ++i)
    differ |= static_cast<unsigned char>(admin_token_[i] ^ (i < bearer.size() ? bearer[i] : 0));
  if (differ == 0) return true;
  code = "unauthenticated";
  message = bearer.empty() ? "Missing Authorization: Bearer token." : "The bearer token is not valid.";
  return false;
}

// {"instrument","bid","ask","time"?}: prices as strings or numbers, read as
// written; time as ISO-8601 UTC or unix milliseconds, the server's clock if
// absent. Throws std::invalid_argument naming the field.
std::string Application::push_tick(const vigil_app_request& request) {
  JsonFields body;
  try {
    body = parse_json_fields(sdk::view(request.body_json));
  } catch (const JsonError& e) {
    throw std::invalid_argument(e.field().empty() ? std::string("body: ") + e.what() : e.what());
  }
  if (std::string why = limit_violation(body, body_limits::kPushTick); !why.empty()) throw std::invalid_argument(why);
  auto text = [&](const char* field, bool required) -> std::string {
    auto it = body.find(field);
    if (it == body.end() || it->second.kind == JsonField::Kind::null) {
      if (required) throw std::invalid_argument(std::string("field '") + field + "': missing");
      return "";
    }
    if (it->second.kind != JsonField::Kind::string && it->second.kind != JsonField::Kind::number)
      throw std::invalid_argument(std::string("field '") + field + "': expected a string or a number");
    return it->second.text;
  };
  std::string instrument = text("instrument", true), bid = text("bid", false), ask = text("ask", false);
  if (bid.empty() && ask.empty()) throw std::invalid_argument("field 'bid': give a bid, an ask or both");
  int64_t time = wall_ms();
  if (std::string written = text("time", false); !written.empty()) {
    auto parsed = sdk::parse_time(written);
    if (!parsed) throw std::invalid_argument("field 'time': expected ISO-8601 UTC or unix milliseconds");
    time = *parsed;
  }
  vigil_tick tick{sizeof(vigil_tick), sdk::str(instrument), sdk::str(bid), sdk::str(ask), time, -1};
  char message[512] = {};
  vigil_error error{sizeof error, message, sizeof message};
  if (publish(*push_port_, tick, &error) != VIGIL_OK) throw std::invalid_argument(message);
  return R"({"accepted":true})";
}

std::string Application::health_json(bool& healthy, bool detail) const {
  nlohmann::json feeds = nlohmann::json::array();
  if (feed_status_) {
    for (const FeedStatus& f : feed_status_()) {
      if (!f.error.empty()) healthy = false;
      nlohmann::json feed = {{"name", f.name},
                             {"running", f.running},
                             {"connected", f.connected},
                             {"ticks_published", f.ticks_published},
                             {"rows_skipped", f.rows_skipped}};
      if (f.last_tick_unix_ms) feed["last_tick_unix_ms"] = f.last_tick_unix_ms;
      if (!f.error.empty()) feed["error"] = f.error;
      feeds.push_back(feed);
    }
  }
  std::vector<std::string> stale = stale_instruments();
  if (!stale.empty()) healthy = false;
  nlohmann::json body = {{"instruments", instruments_.size()}, {"stale_instruments", stale}, {"feeds", feeds}};
  nlohmann::json sources = nlohmann::json::object();
  for (size_t i = 0; i < instrument_states_.size(); ++i) {
    InstrumentState& state = *instrument_states_[i];
    std::lock_guard lock(state.mutex);
    if (state.sources.empty()) continue;
    sources[instruments_.get(static_cast<InstrumentId>(i)).symbol] =
        state.active == SIZE_MAX ? nlohmann::json() : nlohmann::json(state.sources[state.active]);
  }
  if (!sources.empty()) body["active_sources"] = sources;
  if (store_health_) {
    StoreHealthView store = store_health_->view();
    if (!store.ok) healthy = false;
    body["store"] = store_json(store_health_->store_name(), store, detail);
  }
  // EAs that went silent with positions open, and close commands unfinished
  // past the alert time: flagged for ops (counts here, ids for the admin),
  // but not a fault of this server, so they do not turn the status degraded
  // (a load balancer would drop a healthy node for an EA's outage).
  if (workflow_ && detail) {
    body["alerts"] = {{"silent_devices", workflow_->silent_devices()},
                      {"overdue_commands", workflow_->overdue_commands()}};
  } else if (workflow_) {
    Workflow::AlertCounts counts = workflow_->alert_counts();
    body["alerts"] = {{"silent_devices", counts.silent_devices}, {"overdue_commands", counts.overdue_commands}};
  }
  body["status"] = healthy ? "ok" : "degraded";
  return body.dump();
}

// An instrument is stale when it trades now and no tick came for
// stale_after_ms of its current session: the silence counts from the last
// tick, the session's start or the server's start, whichever came last, so
// a market that just opened after the weekend is not stale yet.
bool Application::is_stale(const InstrumentState& state, int64_t now) const {
  if (guard_options_.stale_after_ms <= 0) return false;
  std::optional<int64_t> open_since = state.hours.open_since(now);
  if (!open_since) return false;  // closed: silence is expected
  int64_t last = state.last_tick_ms.load();
  int64_t silent_since = std::max(last ? last : started_ms_, *open_since);
  return now - silent_since > guard_options_.stale_after_ms;
}

std::vector<std::string> Application::stale_instruments() const {
  std::vector<std::string> out;
  int64_t now = wall_ms();
  for (size_t i = 0; i < instrument_states_.size(); ++i)
    if (is_stale(*instrument_states_[i], now)) out.push_back(instruments_.get(static_cast<InstrumentId>(i)).symbol);
  return out;
}

std::string Application::metrics_text() const {
  metrics_.set_counter("vigil_ticks_guarded_total", static_cast<double>(guarded_ticks_.load()));
  int64_t now = wall_ms();
  for (size_t i = 0; i < instrument_states_.size(); ++i) {
    int64_t last = instrument_states_[i]->last_tick_ms.load();
    if (last)
      metrics_.set("vigil_instrument_tick_age_seconds{instrument=\"" +
                       instruments_.get(static_cast<InstrumentId>(i)).symbol + "\"}",
                   static_cast<double>(now - last) / 1000.0);
  }
  metrics_.set_counter("vigil_ticks_accepted_total", static_cast<double>(ticks_.load()));
  metrics_.set_counter("vigil_ticks_rejected_total", static_cast<double>(rejected_ticks_.load()));
  metrics_.set_counter("vigil_close_events_total", static_cast<double>(close_events_.load()));
  metrics_.set_counter("vigil_ticks_standby_total", static_cast<double>(standby_ticks_.load()));
  uint64_t held = 0, released = 0, dropped = 0;
  for (const auto& state : instrument_states_) {
    std::lock_guard lock(state->mutex);
    held += state->guard.gap_held(), released += state->guard.gap_released(), dropped += state->guard.gap_dropped();
  }
  metrics_.set_counter("vigil_ticks_stale_held_total", static_cast<double>(held));
  metrics_.set_counter("vigil_ticks_stale_released_total", static_cast<double>(released));
  metrics_.set_counter("vigil_ticks_stale_dropped_total", static_cast<double>(dropped));
  if (workflow_) workflow_->export_metrics(metrics_);
  return metrics_.render();
}

}  // namespace vigil::core
