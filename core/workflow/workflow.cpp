#include "core/workflow/workflow.hpp"

#include "core/support/log.hpp"
#include "core/workflow/api_error.hpp"

namespace vigil::core {
namespace {

// The answer to an EA call for a device that is unknown or inactive. The
// transport verified the device before calling, so this is a race with a
// deactivation; it reads like every other authentication failure.
ApiError unauthenticated() {
  return ApiError(VIGIL_UNAUTHENTICATED, "unauthenticated", "The request could not be authenticated.");
}

}  // namespace

Workflow::Workflow(const Instruments& instruments, StorePort store, CipherPort cipher,
                   std::vector<std::string> rule_names, EngineLink engines, WorkflowOptions options, Clock clock)
    : instruments_(instruments),
      store_(store),
      cipher_(cipher),
      rule_names_(std::move(rule_names)),
      engines_(std::move(engines)),
      options_(options),
      clock_(std::move(clock)) {}

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

ClientBook& Workflow::book_of_caller(const std::string& device_id) const {
  ClientBook* book = book_of_device(device_id);
  if (!book) throw unauthenticated();
  return *book;
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
