// Counters, gauges and histograms, rendered as Prometheus text.
//
// Names follow Prometheus and may carry labels: `vigil_ticks_total{instrument="EURUSD"}`.
// Every family gets its HELP line from metric_catalog.hpp and its TYPE line
// from how it was set.
// Thread-safe. add/set take a lock and look the name up: cheap enough for
// per-request use, not for per-tick use (the engine keeps its own counters
// and publishes them in batches). A histogram is looked up once and then
// observed without a lock, from any thread.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/support/histogram.hpp"

namespace vigil::core {

class Metrics {
 public:
  void add(std::string_view name, double delta);
  void set(std::string_view name, double value);
  // Publishes a counter kept elsewhere (an atomic on a hot path) at its value.
  void set_counter(std::string_view name, double value);
  double value(std::string_view name) const;
  // The histogram `name` (labels included), made on first use with its
  // family's buckets (metric_buckets). The reference lives as long as this.
  Histogram& histogram(std::string_view name);
  // Prometheus text exposition format: counters, gauges, then histograms,
  // each family under its HELP and TYPE lines, samples sorted by name.
  std::string render() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, double, std::less<>> counters_;
  std::map<std::string, double, std::less<>> gauges_;
  std::map<std::string, std::unique_ptr<Histogram>, std::less<>> histograms_;
};

}  // namespace vigil::core
