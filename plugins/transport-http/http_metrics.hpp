// The transport's own metrics, rendered as Prometheus text after the host's:
//   vigil_http_requests_total{route,method,status}   counter
//   vigil_http_request_duration_seconds{route}        histogram
//   vigil_http_connections_refused_total{reason}      counter ("total", "per_source")
//   vigil_http_open_connections, vigil_http_parked_waits   gauges, sampled when rendered
// `route` is the registered path, or "unmatched" for unknown paths, so that
// clients probing random URLs cannot grow the label set.
//
// Threading: every member may be called from any thread, except
// sample_gauges_with(), which is called once before serving.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

namespace vigil::http {

inline constexpr std::string_view kUnmatchedRoute = "unmatched";
// The method label of a request refused before its method could be trusted.
inline constexpr std::string_view kRefusedMethod = "invalid";

class HttpMetrics {
 public:
  // Upper bounds of the latency buckets, in seconds (+Inf is implied).
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1,    2.5};

  // What the gauges show, read from the units that own the figures.
  struct Gauges {
    uint64_t open_connections = 0;
    uint64_t parked_waits = 0;
  };

  void record(std::string_view route, std::string_view method, int status, double seconds);
  // A connection refused past a limit; `reason` is a fixed label.
  void record_refused_connection(std::string_view reason);
  void sample_gauges_with(std::function<Gauges()> sample);
  std::string render() const;

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};  // non-cumulative; summed when rendered
    uint64_t count = 0;
    double sum = 0;
  };
  void render_requests(std::string& out) const;
  void render_durations(std::string& out) const;
  void render_connections(std::string& out) const;

  mutable std::mutex mutex_;
  // Searched with views (std::less<>): a known label set costs no allocation.
  std::map<std::tuple<std::string, std::string, int>, uint64_t, std::less<>> requests_;
  std::map<std::string, Histogram, std::less<>> durations_;
  std::map<std::string, uint64_t, std::less<>> refused_connections_{{"per_source", 0}, {"total", 0}};
  std::function<Gauges()> sample_gauges_;
};

}  // namespace vigil::http
