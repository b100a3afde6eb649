// Where the workflow records the latencies of its promise (the Application
// points them at its Metrics; metric_catalog.cpp describes them):
//   breach_latency    the tick that crossed a level accepted -> its close
//                     command committed (first issue only; re-issues after
//                     an expiry or a failure are not breaches)
//   command_delivery  a close command created -> first delivered to its EA
// Null: not recorded. The histograms must outlive the workflow.
#pragma once

#include "core/support/histogram.hpp"

namespace vigil::core {

struct WorkflowTimings {
  Histogram* breach_latency = nullptr;
  Histogram* command_delivery = nullptr;
};

}  // namespace vigil::core
