#include "synthetic_options.hpp"

#include "vigil/cpp/options.hpp"

namespace vigil::synthetic {
namespace {

InstrumentWalk parse_instrument(const sdk::Options& item) {
  item.allow({"symbol", "digits", "start", "volatility_points", "spread_points", "gap_probability", "gap_points"});
  InstrumentWalk out;
  out.symbol = item.required_string("symbol");
  out.digits = static_cast<int>(item.integer("digits", 5, 0, sdk::kMaxDigits));
  out.walk.start = item.required_price("start", out.digits);
  out.walk.volatility = item.integer("volatility_points", 5, 0);
  out.walk.spread = item.integer("spread_points", 2, 0);
  out.walk.gap_probability = item.number("gap_probability", 0, 0, 1);
  out.walk.gap_size = item.integer("gap_points", 0, 0);
  return out;
}

}  // namespace

Options parse_options(const std::string& text) {
  sdk::Options o(text, "feed-synthetic");
  o.allow({"instruments", "ticks_per_second", "seed", "max_ticks"});
  Options out;
  for (const sdk::Options& item : o.objects("instruments")) out.instruments.push_back(parse_instrument(item));
  if (out.instruments.empty()) o.fail("instruments", "missing: a list of {symbol, start, ...}");
  out.ticks_per_second = o.number("ticks_per_second", 10, 0);
  out.seed = static_cast<uint64_t>(o.integer("seed", 1, 0));
  out.max_ticks = o.integer("max_ticks", 0, 0);
  return out;
}

}  // namespace vigil::synthetic
