#include "core/app/application.hpp"

#include <chrono>
#include <nlohmann/json.hpp>

#include "core/support/log.hpp"
#include "vigil/cpp/decimal.hpp"
#include "vigil/cpp/error.hpp"

namespace vigil::core {

namespace {

int64_t wall_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

// One instrument's guard, behind a lock: several feeds may quote it.
struct Application::InstrumentState {
  std::mutex mutex;
  PriceGuard guard;
  std::atomic<int64_t> last_tick_ms{0};
  explicit InstrumentState(const GuardOptions& options) : guard(options) {}
};

struct Application::FeedPort {
  Application* app;
  std::string name;
  vigil_app table{};
  std::atomic<uint64_t> ticks{0}, rejected{0};
};

Application::Application(Instruments instruments, std::vector<EngineRule> rules, size_t shards, Metrics& metrics,
                         const GuardOptions& guards)
    : instruments_(std::move(instruments)), metrics_(metrics), guard_options_(guards), started_ms_(wall_ms()) {
  for (size_t i = 0; i < instruments_.size(); ++i)
    instrument_states_.push_back(std::make_unique<InstrumentState>(guard_options_));
  if (shards == 0) shards = 1;
  for (size_t i = 0; i < shards; ++i)
    shards_.push_back(std::make_unique<EngineShard>(instruments_, rules,
                                                    [this](std::vector<CloseEvent>& events) { on_events(events); }));
  transport_table_.struct_size = sizeof transport_table_;
  transport_table_.ctx = this;
  transport_table_.call = [](void* ctx, const vigil_app_request* request, vigil_sink* answer,
                             vigil_app_reply* reply) noexcept -> vigil_status {
    return static_cast<Application*>(ctx)->call(*request, answer, reply);
  };
}

Application::~Application() {
  shards_.clear();
}

const vigil_app* Application::feed_port(const std::string& name) {
  auto port = std::make_unique<FeedPort>();
  port->app = this;
  port->name = name;
  port->table.struct_size = sizeof port->table;
  port->table.ctx = port.get();
  port->table.publish_tick = [](void* ctx, const vigil_tick* tick, vigil_error* error) noexcept -> vigil_status {
    auto& p = *static_cast<FeedPort*>(ctx);
    return p.app->publish(p, *tick, error);
  };
  feed_ports_.push_back(std::move(port));
  return &feed_ports_.back()->table;
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
    state.last_tick_ms = wall_ms();
    GuardVerdict verdict;
    {
      std::lock_guard lock(state.mutex);
      verdict = state.guard.check(parsed);
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

void Application::on_events(std::vector<CloseEvent>& events) {
  for (const CloseEvent& e : events) {
    ++close_events_;
    const Instrument& i = instruments_.get(e.instrument);
    log(LogLevel::info, "engine",
        "close " + i.symbol + " position " + std::to_string(e.key) + ": " + e.reason + " at " +
            sdk::format_decimal(e.price, i.digits));
  }
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
      std::string body = health_json(healthy);
      return finish(healthy ? VIGIL_OK : VIGIL_UNAVAILABLE, body, healthy ? "" : "degraded");
    }
    if (operation == "system.metrics") return finish(VIGIL_OK, metrics_text());
    nlohmann::json error = {{"error",
                             {{"code", "unsupported_operation"},
                              {"message", "this host does not offer the operation " + std::string(operation)}}}};
    return finish(VIGIL_UNSUPPORTED, error.dump(), "unsupported_operation");
  } catch (const std::exception& e) {
    log(LogLevel::error, "app", std::string("call failed: ") + e.what());
    return finish(VIGIL_INTERNAL, R"({"error":{"code":"internal","message":"internal error"}})", "internal");
  }
}

std::string Application::health_json(bool& healthy) const {
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
  nlohmann::json body = {{"status", healthy ? "ok" : "degraded"},
                         {"instruments", instruments_.size()},
                         {"stale_instruments", stale},
                         {"feeds", feeds}};
  return body.dump();
}

// An instrument is stale when no tick came for stale_after_ms (counted
// from the start for one that never ticked).
std::vector<std::string> Application::stale_instruments() const {
  std::vector<std::string> out;
  if (guard_options_.stale_after_ms <= 0) return out;
  int64_t now = wall_ms();
  for (size_t i = 0; i < instrument_states_.size(); ++i) {
    int64_t last = instrument_states_[i]->last_tick_ms.load();
    if (now - (last ? last : started_ms_) > guard_options_.stale_after_ms)
      out.push_back(instruments_.get(static_cast<InstrumentId>(i)).symbol);
  }
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
  return metrics_.render();
}

}  // namespace vigil::core
