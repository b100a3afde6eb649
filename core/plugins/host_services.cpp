#include "core/plugins/host_services.hpp"

#include <chrono>

#include "core/support/log.hpp"
#include "vigil/app.h"
#include "vigil/cpp/error.hpp"

namespace vigil::core {
namespace {

HostServices& self(void* ctx) {
  return *static_cast<HostServices*>(ctx);
}

void host_log(void* ctx, int32_t level, vigil_str message) {
  if (level < VIGIL_LOG_DEBUG) level = VIGIL_LOG_DEBUG;
  if (level > VIGIL_LOG_ERROR) level = VIGIL_LOG_ERROR;
  log(static_cast<LogLevel>(level), self(ctx).component_name(), sdk::view(message));
}

int64_t host_clock_unix_ms(void* ctx) {
  return self(ctx).clock().now_ms();
}

// Pacing (a feed's rate, a timeout) must go on while a test holds the
// host's Clock still, and must never step back as a wall clock may: it stays
// the machine's monotonic clock.
int64_t host_clock_monotonic_ns(void*) {
  using namespace std::chrono;
  return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

HostServices::HostServices(std::string component_name, Metrics& metrics, const vigil_app* app, const Clock& clock)
    : name_(std::move(component_name)), metrics_(metrics), clock_(clock) {
  table_.struct_size = sizeof(vigil_host);
  table_.ctx = this;
  table_.log = &host_log;
  table_.clock_unix_ms = &host_clock_unix_ms;
  table_.clock_monotonic_ns = &host_clock_monotonic_ns;
  table_.metric_add = [](void* ctx, vigil_str name, double delta) {
    try {
      self(ctx).metrics_.add(sdk::view(name), delta);
    } catch (...) {
      // Metrics are best effort: a failed allocation must not reach the plugin.
    }
  };
  table_.metric_set = [](void* ctx, vigil_str name, double value) {
    try {
      self(ctx).metrics_.set(sdk::view(name), value);
    } catch (...) {
    }
  };
  table_.app = app;
}

}  // namespace vigil::core
