#include "core/app/application.hpp"

#include <chrono>
#include <nlohmann/json.hpp>

#include "core/support/json_fields.hpp"
#include "core/support/log.hpp"
#include "vigil/cpp/decimal.hpp"
#include "vigil/cpp/error.hpp"
#include "vigil/cpp/iso_time.hpp"

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
  feed_port("push");  // pushed prices are a feed of their own
  push_port_ = feed_ports_.back().get();
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
    if (operation.rfind("admin.", 0) == 0) {
      std::string code, message;
      if (!admin_allowed(request, code, message)) {
        nlohmann::json error = {{"error", {{"code", code}, {"message", message}}}};
        return finish(VIGIL_UNAUTHENTICATED, error.dump(), code.c_str());
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
    throw std::invalid_argument(std::string("body: ") + e.what());
  }
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
