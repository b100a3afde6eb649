#include "core/support/metrics.hpp"

#include <gtest/gtest.h>

using vigil::core::Metrics;

TEST(Metrics, RendersCountersAndGaugesWithOneTypeLinePerFamily) {
  Metrics m;
  m.add(R"(vigil_requests_total{route="/a"})", 1);
  m.add(R"(vigil_requests_total{route="/b"})", 2);
  m.add(R"(vigil_requests_total{route="/a"})", 1);
  m.set("vigil_open_positions", 5);
  std::string text = m.render();
  EXPECT_EQ(text,
            "# TYPE vigil_requests_total counter\n"
            "vigil_requests_total{route=\"/a\"} 2\n"
            "vigil_requests_total{route=\"/b\"} 2\n"
            "# TYPE vigil_open_positions gauge\n"
            "vigil_open_positions 5\n");
  EXPECT_EQ(m.value(R"(vigil_requests_total{route="/a"})"), 2);
}
