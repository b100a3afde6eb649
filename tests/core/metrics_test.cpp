#include "core/support/metrics.hpp"

#include <gtest/gtest.h>

using vigil::core::Metrics;

TEST(Metrics, RendersCountersAndGaugesWithHelpAndOneTypeLinePerFamily) {
  Metrics m;
  m.add(R"(vigil_requests_total{route="/a"})", 1);
  m.add(R"(vigil_requests_total{route="/b"})", 2);
  m.add(R"(vigil_requests_total{route="/a"})", 1);
  m.set("vigil_positions_watched", 5);
  std::string text = m.render();
  EXPECT_EQ(text,
            "# HELP vigil_requests_total Reported by a plugin through the host's metrics.\n"
            "# TYPE vigil_requests_total counter\n"
            "vigil_requests_total{route=\"/a\"} 2\n"
            "vigil_requests_total{route=\"/b\"} 2\n"
            "# HELP vigil_positions_watched Positions the engines watch now.\n"
            "# TYPE vigil_positions_watched gauge\n"
            "vigil_positions_watched 5\n");
  EXPECT_EQ(m.value(R"(vigil_requests_total{route="/a"})"), 2);
}

TEST(Metrics, HistogramsRenderCumulativeBucketsSumAndCountPerLabelSet) {
  Metrics m;
  auto& sqlite = m.histogram(R"(vigil_store_commit_duration_seconds{store="store-sqlite",outcome="ok"})");
  sqlite.observe(0.0003);
  sqlite.observe(0.002);
  sqlite.observe(60);  // past the last bound: only in +Inf
  EXPECT_EQ(&sqlite, &m.histogram(R"(vigil_store_commit_duration_seconds{store="store-sqlite",outcome="ok"})"));
  m.histogram("vigil_breach_latency_seconds").observe(0.01);
  std::string text = m.render();
  EXPECT_NE(text.find("# TYPE vigil_store_commit_duration_seconds histogram\n"), std::string::npos) << text;
  EXPECT_NE(text.find("# HELP vigil_store_commit_duration_seconds Time one store transaction took"), std::string::npos);
  const std::string s = "vigil_store_commit_duration_seconds";
  EXPECT_NE(text.find(s + R"(_bucket{store="store-sqlite",outcome="ok",le="0.00025"} 0)"
                          "\n"),
            std::string::npos);
  EXPECT_NE(text.find(s + R"(_bucket{store="store-sqlite",outcome="ok",le="0.0005"} 1)"
                          "\n"),
            std::string::npos);
  EXPECT_NE(text.find(s + R"(_bucket{store="store-sqlite",outcome="ok",le="0.0025"} 2)"
                          "\n"),
            std::string::npos);
  EXPECT_NE(text.find(s + R"(_bucket{store="store-sqlite",outcome="ok",le="10"} 2)"
                          "\n"),
            std::string::npos);
  EXPECT_NE(text.find(s + R"(_bucket{store="store-sqlite",outcome="ok",le="+Inf"} 3)"
                          "\n"),
            std::string::npos);
  EXPECT_NE(text.find(s + R"(_count{store="store-sqlite",outcome="ok"} 3)"
                          "\n"),
            std::string::npos);
  EXPECT_NE(text.find(s + R"(_sum{store="store-sqlite",outcome="ok"} 60.0023)"
                          "\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("vigil_breach_latency_seconds_bucket{le=\"0.01\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("vigil_breach_latency_seconds_count 1\n"), std::string::npos);
}

TEST(Metrics, EachHistogramFamilyHasItsOwnScale) {
  Metrics m;
  m.histogram(R"(vigil_rule_callback_duration_seconds{rule="rule-sltp",callback="on_trigger"})").observe(0.000002);
  m.histogram("vigil_close_command_delivery_seconds").observe(90);
  std::string text = m.render();
  EXPECT_NE(text.find(R"(le="1e-06"} 0)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(le="2.5e-06"} 1)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(vigil_close_command_delivery_seconds_bucket{le="120"} 1)"), std::string::npos) << text;
}
