#include "core/support/metrics.hpp"

#include <cstdio>

namespace vigil::core {
namespace {

std::string_view base_name(std::string_view name) {
  return name.substr(0, name.find('{'));
}

void render_family(std::string& out, const std::map<std::string, double, std::less<>>& samples, const char* type) {
  std::string_view last;
  for (const auto& [name, value] : samples) {
    if (base_name(name) != last) {
      last = base_name(name);
      out.append("# TYPE ").append(last).append(" ").append(type).append("\n");
    }
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

std::string Metrics::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  render_family(out, counters_, "counter");
  render_family(out, gauges_, "gauge");
  return out;
}

}  // namespace vigil::core
