// Counters and gauges, rendered as Prometheus text.
//
// Names follow Prometheus and may carry labels: `vigil_ticks_total{instrument="EURUSD"}`.
// Thread-safe; cheap enough for per-request use, not for per-tick use (the
// engine keeps its own counters and publishes them in batches).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace vigil::core {

class Metrics {
 public:
  void add(std::string_view name, double delta);
  void set(std::string_view name, double value);
  // Publishes a counter kept elsewhere (an atomic on a hot path) at its value.
  void set_counter(std::string_view name, double value);
  double value(std::string_view name) const;
  // Prometheus text exposition format, one sample per line, sorted by name.
  std::string render() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, double, std::less<>> counters_;
  std::map<std::string, double, std::less<>> gauges_;
};

}  // namespace vigil::core
