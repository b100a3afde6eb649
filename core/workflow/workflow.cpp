#include "core/workflow/workflow.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/support/log.hpp"
#include "core/workflow/api_error.hpp"
#include "core/workflow/body_limits.hpp"
#include "vigil/cpp/decimal.hpp"

namespace vigil::core {
namespace {

std::string param(const JsonFields& params, const char* name) {
  auto it = params.find(name);
  return it == params.end() ? std::string() : it->second.text;
}

}  // namespace

Workflow::Workflow(const Instruments& instruments, StorePort store, CipherPort cipher,
                   std::vector<std::string> rule_names, EngineLink engines, WorkflowOptions options, Metrics& metrics,
                   Clock clock)
    : instruments_(instruments),
      store_(store),
      cipher_(cipher),
      rule_names_(std::move(rule_names)),
      engines_(std::move(engines)),
      options_(options),
      metrics_(metrics),
      clock_(std::move(clock)) {}

bool Workflow::handles(std::string_view op) {
  static const std::set<std::string_view> kOperations = {
      "admin.create_client",  "admin.create_device",   "admin.create_signal", "admin.get_position",
      "admin.close_position", "admin.alerts",          "auth.device_secret",  "client.poll",
      "client.ack",           "client.close_commands", "client.close_ack",    "client.positions_snapshot",
      "admin.slippage_report"};
  return kOperations.count(op) > 0;
}

// A store that cannot serve now is the caller's 503 (retry later), not a
// 500: the request was fine and nothing of it was written.
std::string Workflow::call(std::string_view op, std::string_view principal, const JsonFields& params,
                           std::string_view body) {
  if (in_doubt_) {  // rows memory may hold stale: read back before acting on them
    std::set<std::string> woken;
    {
      std::lock_guard lock(mutex_);
      resolve_doubts_locked(clock_(), woken);
    }
    wake(woken);
  }
  try {
    return dispatch(op, principal, params, body);
  } catch (const StoreError& e) {
    if (e.status() != VIGIL_UNAVAILABLE) throw;
    log(LogLevel::warn, "workflow", std::string(op) + " not served: " + e.what());
    throw ApiError(VIGIL_UNAVAILABLE, "unavailable", "The store cannot serve this request now; retry shortly.");
  }
}

std::string Workflow::dispatch(std::string_view op, std::string_view principal, const JsonFields& params,
                               std::string_view body) {
  if (op == "admin.create_client") return create_client(RequestBody(body, body_limits::kCreateClient));
  if (op == "admin.create_device")
    return create_device(param(params, "client_id"), RequestBody(body, body_limits::kCreateDevice));
  if (op == "admin.create_signal") return create_signal(RequestBody(body, body_limits::kCreateSignal));
  if (op == "admin.get_position") return get_position(param(params, "position_id"));
  if (op == "admin.close_position")
    return close_position(param(params, "position_id"),
                          RequestBody(body.empty() ? "{}" : body, body_limits::kClosePosition));
  if (op == "admin.alerts") return alerts();
  if (op == "admin.slippage_report") return slippage_report();
  if (op == "auth.device_secret") {
    std::string device_id = param(params, "device_id");
    std::optional<std::string> secret = device_secret(device_id);
    if (!secret) throw not_found("device " + device_id);
    return nlohmann::json{{"device_id", device_id}, {"secret", *secret}}.dump();
  }
  // Everything else is an EA call on behalf of an authenticated device.
  std::string device(principal);
  {
    std::lock_guard lock(mutex_);
    auto it = devices_.find(device);
    if (it == devices_.end() || !it->second.row.active)
      throw ApiError(VIGIL_UNAUTHENTICATED, "unknown_device", "The device is unknown or inactive.");
  }
  seen(device);
  if (op == "client.poll") return poll(device);
  if (op == "client.ack") return ack(device, RequestBody(body, body_limits::kAck));
  if (op == "client.close_commands") return close_commands(device);
  if (op == "client.close_ack") return close_ack(device, RequestBody(body, body_limits::kCloseAck));
  if (op == "client.positions_snapshot")
    return positions_snapshot(device, RequestBody(body, body_limits::kPositionsSnapshot));
  throw ApiError(VIGIL_UNSUPPORTED, "unsupported_operation", "no such operation");
}

void Workflow::seen(const std::string& device_id) {
  std::lock_guard lock(mutex_);
  if (auto it = devices_.find(device_id); it != devices_.end()) it->second.last_seen = clock_();
}

uint64_t Workflow::watch(std::string device_id, void (*wake)(void*), void* user) {
  std::lock_guard lock(watch_mutex_);
  uint64_t token = next_watch_++;
  watchers_[token] = {std::move(device_id), wake, user};
  return token;
}

void Workflow::unwatch(uint64_t token) {
  std::lock_guard lock(watch_mutex_);
  watchers_.erase(token);
}

void Workflow::wake(const std::set<std::string>& devices) {
  if (devices.empty()) return;
  std::lock_guard lock(watch_mutex_);
  for (const auto& [token, w] : watchers_)
    if (devices.count(w.device_id)) w.wake(w.user);
}

const Instrument& Workflow::instrument(const std::string& symbol) const {
  std::optional<InstrumentId> id = instruments_.find(symbol);
  if (!id) throw ApiError(VIGIL_INTERNAL, "internal", "instrument " + symbol + " is no longer configured");
  return instruments_.get(*id);
}

int Workflow::digits_of(const std::string& symbol) const {
  return instrument(symbol).digits;
}

void Workflow::commit_locked(const WriteBatch& batch) {
  try {
    apply_locked(batch);
  } catch (const StoreError& e) {
    if (e.conflict())
      throw ApiError(VIGIL_CONFLICT, "conflict", "The request conflicts with a change made meanwhile; retry.");
    throw;
  }
}

std::vector<std::string> Workflow::silent_devices() const {
  std::lock_guard lock(mutex_);
  std::set<std::string> with_positions;
  for (const auto& [id, live] : positions_)
    if (live.row.state == "open" || live.row.state == "closing") with_positions.insert(live.row.device_id);
  std::vector<std::string> out;
  int64_t now = clock_();
  for (const std::string& id : with_positions) {
    auto it = devices_.find(id);
    if (it != devices_.end() && now - it->second.last_seen > options_.device_silent_after_ms) out.push_back(id);
  }
  return out;
}

std::vector<std::string> Workflow::overdue_commands() const {
  std::lock_guard lock(mutex_);
  return {alerted_commands_.begin(), alerted_commands_.end()};
}

void Workflow::export_metrics(Metrics& metrics) const {
  size_t open = 0, closing = 0, live = 0;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, p] : positions_) {
      open += p.row.state == "open";
      closing += p.row.state == "closing";
    }
    live = commands_.size();
  }
  metrics.set("vigil_positions{state=\"open\"}", static_cast<double>(open));
  metrics.set("vigil_positions{state=\"closing\"}", static_cast<double>(closing));
  metrics.set("vigil_close_commands_live", static_cast<double>(live));
  metrics.set("vigil_close_commands_overdue", static_cast<double>(overdue_commands().size()));
  metrics.set("vigil_devices_silent", static_cast<double>(silent_devices().size()));
  metrics.set_counter("vigil_breaches_total", static_cast<double>(breaches_.load()));
  metrics.set_counter("vigil_close_commands_issued_total", static_cast<double>(commands_issued_.load()));
  metrics.set_counter("vigil_close_commands_expired_total", static_cast<double>(commands_expired_.load()));
  metrics.set_counter("vigil_close_commands_failed_total", static_cast<double>(closes_failed_.load()));
}

}  // namespace vigil::core
