// A Prometheus histogram of durations in seconds, cheap enough for the
// engine's thread: observe() takes no lock (relaxed atomics: a scrape may
// see a sample in a bucket before it sees it in the count, which
// Prometheus tolerates and the next scrape settles).
//
// Threading: observe() and render() may be called from any thread at once.
// Ownership: usually owned by Metrics (Metrics::histogram), which hands
// out references that stay valid as long as it lives.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::core {

class Histogram {
 public:
  // `upper_bounds` ascending; +Inf is implied.
  explicit Histogram(std::span<const double> upper_bounds);

  void observe(double seconds) noexcept;
  // Seconds since `started_ns` on the steady clock (monotonic_ns()).
  void observe_since(int64_t started_ns) noexcept;
  uint64_t count() const noexcept { return count_.load(std::memory_order_relaxed); }

  // Appends NAME_bucket{LABELS,le="..."}, NAME_sum{LABELS} and
  // NAME_count{LABELS}; `labels` is the text between braces, maybe empty.
  void render(std::string& out, std::string_view family, std::string_view labels) const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // non-cumulative; summed when rendered
  std::atomic<uint64_t> count_{0};
  std::atomic<double> sum_{0};
};

// Nanoseconds on the steady clock: the start of a timing.
int64_t monotonic_ns() noexcept;

// The shortest text that reads back as the same double ("0.0005", "2.5", "1").
std::string metric_number(double value);

}  // namespace vigil::core
