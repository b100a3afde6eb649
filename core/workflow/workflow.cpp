#include "core/workflow/workflow.hpp"

#include "core/support/log.hpp"
#include "core/workflow/api_error.hpp"
#include "core/workflow/body_limits.hpp"

namespace vigil::core {
namespace {

std::string param(const JsonFields& params, const char* name) {
  auto it = params.find(name);
  return it == params.end() ? std::string() : it->second.text;
}

// The answer to an EA call for a device that is unknown or inactive. The
// transport verified the device before calling, so this is a race with a
// deactivation; it reads like every other authentication failure.
ApiError unauthenticated() {
  return ApiError(VIGIL_UNAUTHENTICATED, "unauthenticated", "The request could not be authenticated.");
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
  static const std::set<std::string_view> kOperations = {"admin.create_client",
                                                         "admin.create_device",
                                                         "admin.create_signal",
                                                         "admin.get_position",
                                                         "admin.close_position",
                                                         "admin.alerts",
                                                         "client.poll",
                                                         "client.ack",
                                                         "client.close_commands",
                                                         "client.close_ack",
                                                         "client.positions_snapshot",
                                                         "admin.slippage_report"};
  return kOperations.count(op) > 0;
}

// A store that cannot serve now is the caller's 503 (retry later), not a
// 500: the request was fine and nothing of it was written.
std::string Workflow::call(std::string_view op, std::string_view principal, const JsonFields& params,
                           std::string_view body) {
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
  // Everything else is an EA call on behalf of an authenticated device.
  std::string device(principal);
  ClientBook* book = book_of_device(device);
  if (!book) throw unauthenticated();
  if (op == "client.poll") return poll(*book, device);
  if (op == "client.ack") return ack(*book, device, RequestBody(body, body_limits::kAck));
  if (op == "client.close_commands") return close_commands(*book, device);
  if (op == "client.close_ack") return close_ack(*book, device, RequestBody(body, body_limits::kCloseAck));
  if (op == "client.positions_snapshot")
    return positions_snapshot(*book, device, RequestBody(body, body_limits::kPositionsSnapshot));
  throw ApiError(VIGIL_UNSUPPORTED, "unsupported_operation", "no such operation");
}

// The calling device, seen now; an inactive one is refused like an unknown.
DeviceState& Workflow::active_device_locked(ClientBook& b, const std::string& device_id, int64_t now) {
  DeviceState* device = b.device(device_id);
  if (!device || !device->row.active) throw unauthenticated();
  device->last_seen = now;
  return *device;
}

ClientBook& Workflow::book_for_client(const std::string& client_id) {
  {
    std::shared_lock read(directory_mutex_);
    if (auto it = book_by_client_.find(client_id); it != book_by_client_.end()) return *it->second;
  }
  std::unique_lock write(directory_mutex_);
  ClientBook*& book = book_by_client_[client_id];
  if (!book) {
    books_.push_back(std::make_unique<ClientBook>(client_id, static_cast<uint32_t>(books_.size()), counters_));
    book = books_.back().get();
  }
  return *book;
}

ClientBook* Workflow::book_of_device(const std::string& device_id) const {
  std::shared_lock read(directory_mutex_);
  auto it = device_entries_.find(device_id);
  return it == device_entries_.end() ? nullptr : it->second.book;
}

void Workflow::register_device(ClientBook& book, const DeviceRow& device, std::optional<std::string> secret) {
  if (!secret && device.active) secret = cipher_.decrypt(device.client_id, "device_secret", device.secret_token);
  std::unique_lock write(directory_mutex_);
  device_entries_[device.id] = {&book, device.active ? std::move(secret) : std::nullopt};
}

std::vector<ClientBook*> Workflow::books() const {
  std::shared_lock read(directory_mutex_);
  std::vector<ClientBook*> out;
  out.reserve(books_.size());
  for (const auto& book : books_) out.push_back(book.get());
  return out;
}

uint64_t Workflow::watch(std::string device_id, void (*wake)(void*), void* user) {
  std::lock_guard lock(watch_mutex_);
  uint64_t token = next_watch_++;
  watch_tokens_.emplace(device_id, token);
  watchers_[token] = {std::move(device_id), wake, user};
  return token;
}

void Workflow::unwatch(uint64_t token) {
  std::lock_guard lock(watch_mutex_);
  auto it = watchers_.find(token);
  if (it == watchers_.end()) return;
  auto [first, last] = watch_tokens_.equal_range(it->second.device_id);
  for (auto t = first; t != last; ++t)
    if (t->second == token) {
      watch_tokens_.erase(t);
      break;
    }
  watchers_.erase(it);
}

void Workflow::wake(const std::set<std::string>& devices) {
  if (devices.empty()) return;
  std::lock_guard lock(watch_mutex_);
  for (const std::string& device : devices) {
    auto [first, last] = watch_tokens_.equal_range(device);
    for (auto t = first; t != last; ++t) {
      const Watcher& w = watchers_.at(t->second);
      w.wake(w.user);
    }
  }
}

std::shared_ptr<const std::string> Workflow::rules_of(std::string rules_json) const {
  if (rules_json.empty() || rules_json == *no_rules_) return no_rules_;
  return std::make_shared<const std::string>(std::move(rules_json));
}

const Instrument& Workflow::instrument(const std::string& symbol) const {
  std::optional<InstrumentId> id = instruments_.find(symbol);
  if (!id) throw ApiError(VIGIL_INTERNAL, "internal", "instrument " + symbol + " is no longer configured");
  return instruments_.get(*id);
}

int Workflow::digits_of(const std::string& symbol) const {
  return instrument(symbol).digits;
}

// Read from the directory, never decrypted here: a device's secret is
// decrypted once, when the device is created or loaded, so verifying a
// request costs the same lookup whether the device exists or not.
std::optional<std::string> Workflow::device_secret(const std::string& device_id) const {
  std::shared_lock read(directory_mutex_);
  auto it = device_entries_.find(device_id);
  return it == device_entries_.end() ? std::nullopt : it->second.secret;
}

std::vector<std::string> Workflow::silent_devices() const {
  std::vector<std::string> out;
  int64_t now = clock_();
  for (ClientBook* book : books()) {
    std::lock_guard lock(book->mutex);
    silent_devices_locked(*book, now, &out);
  }
  return out;
}

std::vector<std::string> Workflow::overdue_commands() const {
  std::vector<std::string> out;
  for (ClientBook* book : books()) {
    std::lock_guard lock(book->mutex);
    out.insert(out.end(), book->overdue().begin(), book->overdue().end());
  }
  return out;
}

// From counters kept as states change: a scrape walks no position.
void Workflow::export_metrics(Metrics& metrics) const {
  auto positions = [&](PositionState s) {
    return static_cast<double>(counters_.positions[static_cast<size_t>(s)].load());
  };
  metrics.set("vigil_positions{state=\"open\"}", positions(PositionState::open));
  metrics.set("vigil_positions{state=\"closing\"}", positions(PositionState::closing));
  metrics.set("vigil_close_commands_live", static_cast<double>(counters_.live_commands.load()));
  metrics.set("vigil_positions_watched", static_cast<double>(counters_.engine_keys.load()));
  metrics.set("vigil_close_commands_overdue", static_cast<double>(counters_.overdue_commands.load()));
  metrics.set("vigil_devices_silent", static_cast<double>(silent_count_.load()));
  metrics.set_counter("vigil_breaches_total", static_cast<double>(breaches_.load()));
  metrics.set_counter("vigil_close_commands_issued_total", static_cast<double>(commands_issued_.load()));
  metrics.set_counter("vigil_close_commands_expired_total", static_cast<double>(commands_expired_.load()));
  metrics.set_counter("vigil_close_commands_failed_total", static_cast<double>(closes_failed_.load()));
}

}  // namespace vigil::core
