#include "http_metrics.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace vigil::http {
namespace {

// Label values are escaped as the exposition format asks (\\, \", \n).
std::string label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

// Shortest text that reads back as the same double ("0.0005", "2.5", "1").
std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  for (int precision = 1; precision < 17; ++precision) {
    char shorter[32];
    std::snprintf(shorter, sizeof shorter, "%.*g", precision, value);
    if (std::strtod(shorter, nullptr) == value) return shorter;
  }
  return text;
}

}  // namespace

void HttpMetrics::record(std::string_view route, std::string_view method, int status, double seconds) {
  std::lock_guard lock(mutex_);
  auto counted = requests_.find(std::tuple<std::string_view, std::string_view, int>(route, method, status));
  if (counted == requests_.end())
    counted = requests_.try_emplace({std::string(route), std::string(method), status}).first;
  ++counted->second;
  auto timed = durations_.find(route);
  if (timed == durations_.end()) timed = durations_.try_emplace(std::string(route)).first;
  Histogram& h = timed->second;
  auto bucket = std::lower_bound(kBuckets.begin(), kBuckets.end(), seconds);
  if (bucket != kBuckets.end()) ++h.buckets[bucket - kBuckets.begin()];
  ++h.count;
  h.sum += seconds;
}

std::string HttpMetrics::render() const {
  std::string out;
  std::lock_guard lock(mutex_);
  render_requests(out);
  render_durations(out);
  render_connections(out);
  return out;
}

void HttpMetrics::record_refused_connection(std::string_view reason) {
  std::lock_guard lock(mutex_);
  auto counted = refused_connections_.find(reason);
  if (counted == refused_connections_.end()) counted = refused_connections_.try_emplace(std::string(reason)).first;
  ++counted->second;
}

void HttpMetrics::sample_gauges_with(std::function<Gauges()> sample) {
  std::lock_guard lock(mutex_);
  sample_gauges_ = std::move(sample);
}

void HttpMetrics::render_requests(std::string& out) const {
  out += "# HELP vigil_http_requests_total HTTP requests answered by the transport.\n";
  out += "# TYPE vigil_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    const auto& [route, method, status] = key;
    out += "vigil_http_requests_total{route=\"" + label(route) + "\",method=\"" + label(method) + "\",status=\"" +
           std::to_string(status) + "\"} " + std::to_string(count) + "\n";
  }
}

void HttpMetrics::render_durations(std::string& out) const {
  out += "# HELP vigil_http_request_duration_seconds Time from a complete request to its answer.\n";
  out += "# TYPE vigil_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : durations_) {
    const std::string name = "vigil_http_request_duration_seconds";
    const std::string r = "route=\"" + label(route) + "\"";
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += h.buckets[i];
      out += name + "_bucket{" + r + ",le=\"" + number(kBuckets[i]) + "\"} " + std::to_string(cumulative) + "\n";
    }
    out += name + "_bucket{" + r + ",le=\"+Inf\"} " + std::to_string(h.count) + "\n";
    out += name + "_sum{" + r + "} " + number(h.sum) + "\n";
    out += name + "_count{" + r + "} " + std::to_string(h.count) + "\n";
  }
}

void HttpMetrics::render_connections(std::string& out) const {
  out += "# HELP vigil_http_connections_refused_total Connections refused past a limit on open connections.\n";
  out += "# TYPE vigil_http_connections_refused_total counter\n";
  for (const auto& [reason, count] : refused_connections_)
    out += "vigil_http_connections_refused_total{reason=\"" + label(reason) + "\"} " + std::to_string(count) + "\n";
  if (!sample_gauges_) return;
  Gauges now = sample_gauges_();
  out += "# HELP vigil_http_open_connections Connections open now.\n";
  out += "# TYPE vigil_http_open_connections gauge\n";
  out += "vigil_http_open_connections " + std::to_string(now.open_connections) + "\n";
  out += "# HELP vigil_http_parked_waits Long-polls parked now.\n";
  out += "# TYPE vigil_http_parked_waits gauge\n";
  out += "vigil_http_parked_waits " + std::to_string(now.parked_waits) + "\n";
}

}  // namespace vigil::http
