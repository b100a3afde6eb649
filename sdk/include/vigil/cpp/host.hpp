// Vigil C++ SDK — the host services as a plugin sees them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vigil/app.h"
#include "vigil/cpp/error.hpp"

namespace vigil::sdk {

// A tick as a feed publishes it; see vigil_tick in app.h.
struct Tick {
  std::string_view instrument;
  std::string_view bid;  // empty: unchanged
  std::string_view ask;  // empty: unchanged
  int64_t time_unix_ms = 0;
  int64_t sequence = -1;
};

// Thin, copyable view of the host-services table. Valid until destroy.
class Host {
 public:
  explicit Host(const vigil_host* host) noexcept : host_(host) {}

  void log(int32_t level, std::string_view message) const noexcept { host_->log(host_->ctx, level, str(message)); }
  void debug(std::string_view m) const noexcept { log(VIGIL_LOG_DEBUG, m); }
  void info(std::string_view m) const noexcept { log(VIGIL_LOG_INFO, m); }
  void warn(std::string_view m) const noexcept { log(VIGIL_LOG_WARN, m); }
  void error(std::string_view m) const noexcept { log(VIGIL_LOG_ERROR, m); }

  int64_t now_unix_ms() const noexcept { return host_->clock_unix_ms(host_->ctx); }
  int64_t monotonic_ns() const noexcept { return host_->clock_monotonic_ns(host_->ctx); }

  void counter_add(std::string_view name, double delta = 1) const noexcept {
    host_->metric_add(host_->ctx, str(name), delta);
  }
  void gauge_set(std::string_view name, double value) const noexcept {
    host_->metric_set(host_->ctx, str(name), value);
  }

  // The application API; null for driven kinds (cipher, rule, store).
  const vigil_app* app() const noexcept { return host_->app; }

  // Publishes a tick. Returns VIGIL_OK, or the host's status with its reason
  // in `why` (the feed decides whether that stops it or skips the row).
  vigil_status publish_tick(const Tick& tick, std::string& why) const {
    const vigil_app* a = require_app();
    vigil_tick t{sizeof(vigil_tick), str(tick.instrument), str(tick.bid),
                 str(tick.ask),      tick.time_unix_ms,    tick.sequence};
    char buffer[512] = {};
    vigil_error error{sizeof(vigil_error), buffer, sizeof buffer};
    vigil_status status = a->publish_tick(a->ctx, &t, &error);
    if (status != VIGIL_OK) why = buffer;
    return status;
  }

 private:
  const vigil_app* require_app() const {
    if (!host_->app) throw Error(VIGIL_UNSUPPORTED, "no application API for this component kind");
    return host_->app;
  }
  const vigil_host* host_;
};

// What a component's constructor receives.
struct CreateArgs {
  std::string options_json;  // the YAML `options`, as JSON text
  std::string name;          // where the config asked for it
  Host host;

  explicit CreateArgs(const vigil_create_args& args)
      : options_json(view(args.options_json)), name(view(args.name)), host(args.host) {}
};

}  // namespace vigil::sdk
