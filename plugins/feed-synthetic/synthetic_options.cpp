#include "synthetic_options.hpp"

#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "vigil/cpp/decimal.hpp"

namespace vigil::synthetic {
namespace {

using Json = nlohmann::json;

[[noreturn]] void fail(const std::string& key, const std::string& why) {
  throw std::invalid_argument("feed-synthetic: option " + key + ": " + why);
}

void allow_only(const Json& object, const std::string& where, const std::set<std::string>& keys) {
  if (!object.is_object()) fail(where, "expected a mapping");
  for (const auto& [key, value] : object.items())
    if (!keys.count(key)) fail(where.empty() ? key : where + "." + key, "unknown option");
}

double number(const Json& object, const std::string& key, const std::string& where, double fallback, double low) {
  if (!object.contains(key)) return fallback;
  const Json& value = object[key];
  if (!value.is_number() || value.get<double>() < low)
    fail(where + key, "expected a number of at least " + std::to_string(low));
  return value.get<double>();
}

InstrumentWalk parse_instrument(const Json& item, const std::string& where) {
  allow_only(item, where,
             {"symbol", "digits", "start", "volatility_points", "spread_points", "gap_probability", "gap_points"});
  InstrumentWalk out;
  if (!item.contains("symbol") || !item["symbol"].is_string()) fail(where + ".symbol", "expected a symbol");
  out.symbol = item["symbol"];
  out.digits = static_cast<int>(number(item, "digits", where + ".", 5, 0));
  if (!item.contains("start") || !item["start"].is_string())
    fail(where + ".start", "expected the starting price as a decimal string, e.g. \"1.10000\"");
  auto start = vigil::sdk::parse_decimal(item["start"].get<std::string>(), out.digits);
  if (!start.ok() || start.value <= 0) fail(where + ".start", "expected a positive price with at most digits decimals");
  out.walk.start = start.value;
  out.walk.volatility = static_cast<int64_t>(number(item, "volatility_points", where + ".", 5, 0));
  out.walk.spread = static_cast<int64_t>(number(item, "spread_points", where + ".", 2, 0));
  out.walk.gap_probability = number(item, "gap_probability", where + ".", 0, 0);
  if (out.walk.gap_probability > 1) fail(where + ".gap_probability", "expected a probability from 0 to 1");
  out.walk.gap_size = static_cast<int64_t>(number(item, "gap_points", where + ".", 0, 0));
  return out;
}

}  // namespace

Options parse_options(const std::string& text) {
  Json json = Json::parse(text, nullptr, false);
  if (json.is_discarded()) fail("(all)", "not valid JSON");
  allow_only(json, "", {"instruments", "ticks_per_second", "seed", "max_ticks"});
  Options out;
  if (!json.contains("instruments") || !json["instruments"].is_array() || json["instruments"].empty())
    fail("instruments", "expected a list of {symbol, start, ...}");
  for (size_t i = 0; i < json["instruments"].size(); ++i)
    out.instruments.push_back(parse_instrument(json["instruments"][i], "instruments[" + std::to_string(i) + "]"));
  out.ticks_per_second = number(json, "ticks_per_second", "", 10, 0);
  out.seed = static_cast<uint64_t>(number(json, "seed", "", 1, 0));
  out.max_ticks = static_cast<int64_t>(number(json, "max_ticks", "", 0, 0));
  return out;
}

}  // namespace vigil::synthetic
