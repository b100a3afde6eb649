#include "core/support/metrics.hpp"

#include <cstdio>

#include "core/support/metric_catalog.hpp"

namespace vigil::core {
namespace {

// Appends the HELP and TYPE lines when `name` starts a new family.
void start_family(std::string& out, std::string_view name, std::string_view& last, const char* type) {
  std::string_view family = metric_family(name);
  if (family == last) return;
  last = family;
  out.append("# HELP ").append(family).append(" ").append(metric_help(family)).append("\n");
  out.append("# TYPE ").append(family).append(" ").append(type).append("\n");
}

void render_family(std::string& out, const std::map<std::string, double, std::less<>>& samples, const char* type) {
  std::string_view last;
  for (const auto& [name, value] : samples) {
    start_family(out, name, last, type);
    char number[64];
    std::snprintf(number, sizeof number, "%.17g", value);
    out.append(name).append(" ").append(number).append("\n");
  }
}

}  // namespace

void Metrics::add(std::string_view name, double delta) {
  std::lock_guard lock(mutex_);
  auto it = counters_.find(name);
  if (it == counters_.end()) it = counters_.emplace(std::string(name), 0.0).first;
  it->second += delta;
}

void Metrics::set(std::string_view name, double value) {
  std::lock_guard lock(mutex_);
  auto it = gauges_.find(name);
  if (it == gauges_.end()) it = gauges_.emplace(std::string(name), 0.0).first;
  it->second = value;
}

void Metrics::set_counter(std::string_view name, double value) {
  std::lock_guard lock(mutex_);
  auto it = counters_.find(name);
  if (it == counters_.end()) it = counters_.emplace(std::string(name), 0.0).first;
  it->second = value;
}

double Metrics::value(std::string_view name) const {
  std::lock_guard lock(mutex_);
  if (auto it = counters_.find(name); it != counters_.end()) return it->second;
  if (auto it = gauges_.find(name); it != gauges_.end()) return it->second;
  return 0.0;
}

Histogram& Metrics::histogram(std::string_view name) {
  std::lock_guard lock(mutex_);
  auto it = histograms_.find(name);
  if (it == histograms_.end())
    it = histograms_.emplace(std::string(name), std::make_unique<Histogram>(metric_buckets(metric_family(name)))).first;
  return *it->second;
}

std::string Metrics::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  render_family(out, counters_, "counter");
  render_family(out, gauges_, "gauge");
  std::string_view last;
  for (const auto& [name, histogram] : histograms_) {
    start_family(out, name, last, "histogram");
    std::string_view labels = std::string_view(name).substr(metric_family(name).size());
    if (!labels.empty()) labels = labels.substr(1, labels.size() - 2);  // without the braces
    histogram->render(out, metric_family(name), labels);
  }
  return out;
}

}  // namespace vigil::core
