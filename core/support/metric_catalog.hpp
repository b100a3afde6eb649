// What each metric family means: the HELP line /metrics prints for it and,
// for histograms, its bucket bounds. One table (metric_catalog.cpp), so a
// family is described once however many places set it; examples/ops/README.md
// lists the same families for operators.
//
// Threading: the table is constant; any thread may read it.
#pragma once

#include <span>
#include <string_view>

namespace vigil::core {

// The family of a sample name: the name up to its labels.
std::string_view metric_family(std::string_view name);

// The HELP text of `family`; families a plugin invents get a generic one.
std::string_view metric_help(std::string_view family);

// The upper bounds, in seconds, of a histogram family's buckets; a latency
// default for a family the table does not list.
std::span<const double> metric_buckets(std::string_view family);

}  // namespace vigil::core
