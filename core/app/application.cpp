#include "core/app/application.hpp"

#include <algorithm>
#include <chrono>

#include "core/app/instrument_quotes.hpp"
#include "core/app/pushed_tick.hpp"
#include "core/plugins/status_name.hpp"
#include "core/support/json_fields.hpp"
#include "core/support/log.hpp"
#include "core/support/version.hpp"
#include "core/workflow/api_error.hpp"
#include "core/workflow/workflow_api.hpp"
#include "vigil/cpp/error.hpp"

namespace vigil::core {
namespace {

// Each rule's callbacks timed into their histograms (the engines call them).
std::vector<EngineRule> with_callback_timings(std::vector<EngineRule> rules, Metrics& metrics) {
  for (EngineRule& rule : rules) {
    std::string labels = "{rule=\"" + rule.name + "\",callback=";
    rule.attach_seconds = &metrics.histogram("vigil_rule_callback_duration_seconds" + labels + "\"attach\"}");
    rule.on_trigger_seconds = &metrics.histogram("vigil_rule_callback_duration_seconds" + labels + "\"on_trigger\"}");
  }
  return rules;
}

// The plugin of a component named "WHERE (PLUGIN)" (component_factory.hpp):
// a metric label that stays the same whatever the config calls it.
std::string plugin_of(const std::string& component_name) {
  size_t open = component_name.rfind(" (");
  if (open == std::string::npos || component_name.back() != ')') return component_name;
  return component_name.substr(open + 2, component_name.size() - open - 3);
}

// The transport's id for the request (params "request_id"), so that the
// lines logged while it is answered carry it; empty when none.
std::string request_id_of(const vigil_app_request& request) {
  constexpr size_t kMaxRequestId = 64;  // longer is not one of ours: left out of the log
  if (!request.params_json.size) return {};
  try {
    JsonFields params = parse_json_fields(sdk::view(request.params_json));
    auto it = params.find("request_id");
    if (it == params.end() || it->second.text.size() > kMaxRequestId) return {};
    return it->second.text;
  } catch (const std::exception&) {
    return {};  // the operation itself reports bad params
  }
}

}  // namespace

Application::Application(Instruments instruments, std::vector<EngineRule> rules, size_t shards, Metrics& metrics,
                         const GuardOptions& guards, const Clock& clock)
    : instruments_(std::move(instruments)),
      metrics_(metrics),
      clock_(clock),
      intake_(instruments_, guards, clock_,
              [this](const ParsedTick& tick) {
                ParsedTick accepted = tick;
                accepted.accepted_ns = monotonic_ns();
                shards_.post(accepted);
              }),
      health_(instruments_, intake_),
      shards_(instruments_, with_callback_timings(std::move(rules), metrics), shards, clock_,
              [this](std::vector<CloseEvent>& events, std::vector<RuleUpdate>& updates) {
                if (workflow_) workflow_->on_engine_output(events, updates);
              }) {
  health_.set_rule_failure_source([this] { return shards_.rule_failures(); });
  // Prometheus's build-info convention: one sample, always 1, whose labels
  // say which build answers.
  metrics_.set(std::string("vigil_build_info{version=\"") + kVersion + "\",abi=\"" + kAbiVersion + "\"}", 1);
  make_transport_table();
}

// The cluster's threads (takeovers, the change tail) reach the workflow and
// the engines, so they stop before anything else goes; the cluster itself
// stays until the timer and the engines, which ask its ownership, are gone.
Application::~Application() {
  if (cluster_) cluster_->stop();
}

// The transport table is filled here and nowhere else.
void Application::make_transport_table() {
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
  transport_table_.verify_device = [](void* ctx, vigil_str device_id, vigil_str string_to_sign, vigil_str signature_hex,
                                      vigil_error* error) noexcept -> vigil_status {
    auto& app = *static_cast<Application*>(ctx);
    DeviceVerifier::Verdict verdict{VIGIL_INTERNAL, "the host gave no HMAC for device verification"};
    if (app.device_verifier_)
      verdict = app.device_verifier_->verify(sdk::view(device_id), sdk::view(string_to_sign), sdk::view(signature_hex));
    if (verdict.status != VIGIL_OK) sdk::set_error(error, verdict.message);
    return verdict.status;
  };
  transport_table_.claim_nonce = [](void* ctx, vigil_str device_id, vigil_str nonce, int64_t expires_at,
                                    vigil_error* error) noexcept -> vigil_status {
    return static_cast<Application*>(ctx)->claim_nonce(sdk::view(device_id), sdk::view(nonce), expires_at, error);
  };
}

// One host alone: its transport's memory of nonces is the whole truth.
// Hosts sharing a store: the store holds every host's nonces.
vigil_status Application::claim_nonce(std::string_view device_id, std::string_view nonce, int64_t expires_at,
                                      vigil_error* error) {
  if (!cluster_) return VIGIL_OK;
  try {
    WriteBatch claim;
    claim.insert(NonceRow{std::string(device_id), std::string(nonce), clock_.now_ms(), expires_at});
    nonce_store_->apply(claim);
    return VIGIL_OK;
  } catch (const StoreError& e) {
    if (!e.conflict()) sdk::set_error(error, e.what());
    return e.conflict() ? VIGIL_CONFLICT : e.status();
  } catch (const std::exception& e) {
    sdk::set_error(error, e.what());
    return VIGIL_INTERNAL;
  }
}

void Application::set_device_hmac(DeviceVerifier::Hmac hmac) {
  device_verifier_.emplace(
      [this](const std::string& device_id) {
        if (!workflow_) throw ComponentError(VIGIL_UNAVAILABLE, "this server runs without a store");
        return workflow_->device_secret(device_id);
      },
      std::move(hmac));
}

void Application::enable_workflow(const Component<vigil_store_vtable>& store,
                                  const Component<vigil_cipher_vtable>& cipher, std::vector<std::string> rule_names,
                                  WorkflowOptions options, std::optional<ClusterOptions> cluster) {
  store_health_ = std::make_unique<StoreHealth>(store.name(), clock_);
  std::string store_label = "vigil_store_commit_duration_seconds{store=\"" + plugin_of(store.name()) + "\",outcome=";
  StoreCommitTimings commits{&metrics_.histogram(store_label + "\"ok\"}"),
                             &metrics_.histogram(store_label + "\"failed\"}")};
  options.timings = {&metrics_.histogram("vigil_breach_latency_seconds"),
                     &metrics_.histogram("vigil_close_command_delivery_seconds")};
  workflow_ = std::make_unique<Workflow>(instruments_, StorePort(store, store_health_.get(), commits),
                                         CipherPort(cipher), std::move(rule_names), engine_link(), options,
                                         [&clock = clock_] { return clock.now_ms(); });
  int64_t recovered_at_seq = 0;
  if (cluster) {
    cluster_ = std::make_unique<Cluster>(store, std::move(*cluster), *workflow_);
    nonce_store_ = std::make_unique<StorePort>(store);
    workflow_->set_ownership(&cluster_->ownership());
    recovered_at_seq = cluster_->current_seq();  // before the read: nothing committed meanwhile is missed
  }
  workflow_->recover();
  if (cluster_) {
    cluster_->start(recovered_at_seq);
    health_.set_cluster_source([this](bool& healthy) { return cluster_->health_json(healthy); });
  }
  health_.watch_workflow(*store_health_, *workflow_);
  // Five times a second is fine-grained enough for second-scale alert and
  // expiry times, and costs nothing idle.
  maintenance_ = std::make_unique<Maintenance>([this] { workflow_->maintain(); }, std::chrono::milliseconds(200));
}

EngineLink Application::engine_link() {
  EngineLink link = shards_.link();
  link.market_price = [this](InstrumentId instrument, Side side) { return intake_.market_price(instrument, side); };
  return link;
}

vigil_status Application::call(const vigil_app_request& request, vigil_sink* answer, vigil_app_reply* reply) {
  CallReply out(*answer, *reply);
  // Every line logged while this call is answered names its request and device.
  LogScope scope({{"request_id", request_id_of(request)}, {"device_id", sdk::view(request.principal)}});
  vigil_status status = VIGIL_INTERNAL;
  try {
    status = route(sdk::view(request.operation), request, out);
  } catch (const std::exception& e) {
    log(LogLevel::error, "app", std::string("call failed: ") + e.what());
    status = out.error(VIGIL_INTERNAL, "internal", "internal error");
  }
  if (log_enabled(LogLevel::debug))
    log(LogLevel::debug, "app", std::string(sdk::view(request.operation)) + " answered " + status_name(status));
  return status;
}

vigil_status Application::route(std::string_view operation, const vigil_app_request& request, CallReply& out) {
  if (operation == "system.health") {
    Health::Report report = health_.report(false);
    return out.send(report.healthy ? VIGIL_OK : VIGIL_UNAVAILABLE, report.json, report.healthy ? "" : "degraded");
  }
  if (operation == "system.metrics") return out.send(VIGIL_OK, metrics_text());
  if (operation.rfind("admin.", 0) == 0) {
    if (auto refusal = admin_.check(sdk::view(request.params_json)))
      return out.error(VIGIL_UNAUTHENTICATED, refusal->code, refusal->message);
    // The operator asked for details, not for a verdict.
    if (operation == "admin.health") return out.send(VIGIL_OK, health_.report(true).json);
    if (operation == "admin.instruments")
      return out.send(VIGIL_OK, instrument_quotes_json(instruments_, intake_, clock_.now_ms()));
  }
  if (WorkflowApi::handles(operation)) return call_workflow(operation, request, out);
  if (operation == "admin.push_tick") return push_tick(request, out);
  return out.error(VIGIL_UNSUPPORTED, "unsupported_operation",
                   "this host does not offer the operation " + std::string(operation));
}

vigil_status Application::call_workflow(std::string_view operation, const vigil_app_request& request, CallReply& out) {
  if (!workflow_) return out.error(VIGIL_UNAVAILABLE, "no_store", "This server runs without a store and a cipher.");
  try {
    JsonFields params;
    if (request.params_json.size) params = parse_json_fields(sdk::view(request.params_json));
    return out.send(
        VIGIL_OK,
        WorkflowApi(*workflow_).call(operation, sdk::view(request.principal), params, sdk::view(request.body_json)));
  } catch (const ApiError& e) {
    return out.error(e.status(), e.code(), e.what());
  }
}

vigil_status Application::push_tick(const vigil_app_request& request, CallReply& out) {
  try {
    PushedTick tick = parse_pushed_tick(sdk::view(request.body_json), clock_.now_ms());
    char message[512] = {};
    vigil_error error{sizeof error, message, sizeof message};
    if (intake_.push(tick.view(), &error) != VIGIL_OK) throw std::invalid_argument(message);
    return out.send(VIGIL_OK, R"({"accepted":true})");
  } catch (const std::invalid_argument& e) {
    return out.error(VIGIL_INVALID_ARGUMENT, "invalid_argument", e.what());
  }
}

std::string Application::metrics_text() const {
  intake_.export_metrics(metrics_);
  shards_.export_metrics(metrics_);
  health_.export_metrics(metrics_);
  if (workflow_) workflow_->export_metrics(metrics_);
  if (cluster_) cluster_->export_metrics(metrics_);
  export_staleness();
  return metrics_.render();
}

void Application::export_staleness() const {
  std::vector<std::string> stale = intake_.stale_instruments();
  for (size_t i = 0; i < instruments_.size(); ++i) {
    const std::string& symbol = instruments_.get(static_cast<InstrumentId>(i)).symbol;
    bool is_stale = std::find(stale.begin(), stale.end(), symbol) != stale.end();
    metrics_.set("vigil_instrument_stale{instrument=\"" + symbol + "\"}", is_stale ? 1 : 0);
  }
}

}  // namespace vigil::core
