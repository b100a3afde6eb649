#include "core/support/histogram.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace vigil::core {

Histogram::Histogram(std::span<const double> upper_bounds)
    : bounds_(upper_bounds.begin(), upper_bounds.end()),
      buckets_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size())) {}

void Histogram::observe(double seconds) noexcept {
  auto bucket = std::lower_bound(bounds_.begin(), bounds_.end(), seconds);
  if (bucket != bounds_.end()) buckets_[bucket - bounds_.begin()].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(seconds, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

void Histogram::observe_since(int64_t started_ns) noexcept {
  observe(static_cast<double>(monotonic_ns() - started_ns) / 1e9);
}

void Histogram::render(std::string& out, std::string_view family, std::string_view labels) const {
  std::string prefix(family);
  std::string before_le = labels.empty() ? "{" : "{" + std::string(labels) + ",";
  std::string braces = labels.empty() ? "" : "{" + std::string(labels) + "}";
  uint64_t count = count_.load(std::memory_order_relaxed);
  uint64_t cumulative = 0;
  for (size_t i = 0; i < bounds_.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    out += prefix + "_bucket" + before_le + "le=\"" + metric_number(bounds_[i]) + "\"} " + std::to_string(cumulative) +
           "\n";
  }
  // A sample counted in a bucket but not yet in the count must not make
  // +Inf smaller than a finite bucket.
  count = std::max(count, cumulative);
  out += prefix + "_bucket" + before_le + "le=\"+Inf\"} " + std::to_string(count) + "\n";
  out += prefix + "_sum" + braces + " " + metric_number(sum_.load(std::memory_order_relaxed)) + "\n";
  out += prefix + "_count" + braces + " " + std::to_string(count) + "\n";
}

int64_t monotonic_ns() noexcept {
  using namespace std::chrono;
  return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
}

std::string metric_number(double value) {
  // Whole numbers as integers ("10", not "1e+01"), as Prometheus' own clients write them.
  if (value == std::trunc(value) && std::fabs(value) < 1e15) return std::to_string(static_cast<int64_t>(value));
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  for (int precision = 1; precision < 17; ++precision) {
    char shorter[32];
    std::snprintf(shorter, sizeof shorter, "%.*g", precision, value);
    if (std::strtod(shorter, nullptr) == value) return shorter;
  }
  return text;
}

}  // namespace vigil::core
