#include "core/workflow/store_health.hpp"

#include "core/support/log.hpp"

namespace vigil::core {

void StoreHealth::committed() {
  int64_t now_ms = clock_.now_ms();
  std::lock_guard lock(mutex_);
  if (!view_.ok)
    log(LogLevel::info, "store",
        store_name_ + " commits again after " + std::to_string(view_.failures) + " failed attempts since " +
            std::to_string(view_.failing_since_ms) + " (unix ms)");
  view_.ok = true;
  view_.failing_since_ms = 0;
  view_.failures = 0;
  view_.last_ok_ms = now_ms;
}

void StoreHealth::failed(vigil_status status, const std::string& message) {
  if (status != VIGIL_UNAVAILABLE) return;
  int64_t now_ms = clock_.now_ms();
  std::lock_guard lock(mutex_);
  if (view_.ok) view_.failing_since_ms = now_ms;
  view_.ok = false;
  ++view_.failures;
  view_.last_error = message;
}

bool StoreHealth::ok() const {
  std::lock_guard lock(mutex_);
  return view_.ok;
}

StoreHealthView StoreHealth::view() const {
  std::lock_guard lock(mutex_);
  return view_;
}

}  // namespace vigil::core
