// transport-http's request counters and latency histograms.
#include "plugins/transport-http/http_metrics.hpp"

#include <gtest/gtest.h>

using vigil::http::HttpMetrics;

TEST(TransportHttpMetrics, RendersNothingButTheHeadersBeforeAnyRequest) {
  EXPECT_EQ(HttpMetrics().render(),
            "# HELP vigil_http_requests_total HTTP requests answered by the transport.\n"
            "# TYPE vigil_http_requests_total counter\n"
            "# HELP vigil_http_request_duration_seconds Time from a complete request to its answer.\n"
            "# TYPE vigil_http_request_duration_seconds histogram\n"
            "# HELP vigil_http_connections_refused_total Connections refused past a limit on open connections.\n"
            "# TYPE vigil_http_connections_refused_total counter\n"
            "vigil_http_connections_refused_total{reason=\"per_source\"} 0\n"
            "vigil_http_connections_refused_total{reason=\"total\"} 0\n");
}

TEST(TransportHttpMetrics, CountsByRouteMethodAndStatus) {
  HttpMetrics m;
  m.record("/healthz", "GET", 200, 0.001);
  m.record("/healthz", "GET", 200, 0.001);
  m.record("/healthz", "GET", 503, 0.001);
  std::string text = m.render();
  EXPECT_NE(text.find("vigil_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("vigil_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"503\"} 1\n"),
            std::string::npos);
}

TEST(TransportHttpMetrics, HistogramBucketsAreCumulativeWithSumAndCount) {
  HttpMetrics m;
  m.record("/metrics", "GET", 200, 0.0004);  // first bucket
  m.record("/metrics", "GET", 200, 0.003);   // le 0.005
  m.record("/metrics", "GET", 200, 30);      // only +Inf
  std::string text = m.render();
  const std::string b = "vigil_http_request_duration_seconds_bucket{route=\"/metrics\",le=";
  EXPECT_NE(text.find(b + "\"0.0005\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find(b + "\"0.0025\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find(b + "\"0.005\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find(b + "\"2.5\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find(b + "\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("vigil_http_request_duration_seconds_sum{route=\"/metrics\"} 30.0034\n"), std::string::npos);
  EXPECT_NE(text.find("vigil_http_request_duration_seconds_count{route=\"/metrics\"} 3\n"), std::string::npos);
}

TEST(TransportHttpMetrics, EscapesLabelValues) {
  HttpMetrics m;
  m.record("a\"b\\c\nd", "GET", 200, 0);
  EXPECT_NE(m.render().find("route=\"a\\\"b\\\\c\\nd\""), std::string::npos);
}

TEST(TransportHttpMetrics, CountsRefusedConnectionsByReason) {
  HttpMetrics m;
  m.record_refused_connection("per_source");
  m.record_refused_connection("per_source");
  m.record_refused_connection("total");
  std::string text = m.render();
  EXPECT_NE(text.find("vigil_http_connections_refused_total{reason=\"per_source\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("vigil_http_connections_refused_total{reason=\"total\"} 1\n"), std::string::npos);
}

TEST(TransportHttpMetrics, SamplesTheGaugesWhenRendered) {
  HttpMetrics m;
  uint64_t open = 3;
  m.sample_gauges_with([&open] { return HttpMetrics::Gauges{open, 2}; });
  std::string text = m.render();
  EXPECT_NE(text.find("# TYPE vigil_http_open_connections gauge\nvigil_http_open_connections 3\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("# TYPE vigil_http_parked_waits gauge\nvigil_http_parked_waits 2\n"), std::string::npos);
  open = 0;
  EXPECT_NE(m.render().find("\nvigil_http_open_connections 0\n"), std::string::npos);
}
