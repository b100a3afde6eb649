#include "core/app/application.hpp"

#include <chrono>

#include "core/app/pushed_tick.hpp"
#include "core/support/json_fields.hpp"
#include "core/support/log.hpp"
#include "core/workflow/api_error.hpp"
#include "core/workflow/workflow_api.hpp"
#include "vigil/cpp/error.hpp"

namespace vigil::core {

Application::Application(Instruments instruments, std::vector<EngineRule> rules, size_t shards, Metrics& metrics,
                         const GuardOptions& guards, const Clock& clock)
    : instruments_(std::move(instruments)),
      metrics_(metrics),
      clock_(clock),
      intake_(instruments_, guards, clock_, [this](const ParsedTick& tick) { shards_.post(tick); }),
      health_(instruments_, intake_),
      shards_(instruments_, rules, shards, clock_,
              [this](std::vector<CloseEvent>& events, std::vector<RuleUpdate>& updates) {
                if (workflow_) workflow_->on_engine_output(events, updates);
              }) {
  health_.set_rule_failure_source([this] { return shards_.rule_failures(); });
  make_transport_table();
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
                                  WorkflowOptions options) {
  store_health_ = std::make_unique<StoreHealth>(store.name(), clock_);
  workflow_ = std::make_unique<Workflow>(instruments_, StorePort(store, store_health_.get()), CipherPort(cipher),
                                         std::move(rule_names), engine_link(), options,
                                         [&clock = clock_] { return clock.now_ms(); });
  workflow_->recover();
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
  try {
    return route(sdk::view(request.operation), request, out);
  } catch (const std::exception& e) {
    log(LogLevel::error, "app", std::string("call failed: ") + e.what());
    return out.error(VIGIL_INTERNAL, "internal", "internal error");
  }
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
  if (workflow_) workflow_->export_metrics(metrics_);
  return metrics_.render();
}

}  // namespace vigil::core
