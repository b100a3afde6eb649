#include "trailing_params.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "vigil/cpp/decimal.hpp"

namespace vigil::trailing {
namespace {

using Json = nlohmann::json;

Json parse_object(const std::string& text, const char* what) {
  if (text.empty()) return Json::object();
  Json json = Json::parse(text, nullptr, false);
  if (!json.is_object()) throw std::invalid_argument(std::string(what) + " must be a JSON object");
  for (const auto& [key, value] : json.items())
    if (key != "distance" && key != "activation" && key != "step")
      throw std::invalid_argument(std::string(what) + ": unknown parameter '" + key + "'");
  return json;
}

int64_t read_distance(const Json& value, const std::string& key, int digits) {
  if (value.is_object() && value.contains("points") && value["points"].is_number_integer() && value.size() == 1) {
    int64_t points = value["points"];
    if (points < 0) throw std::invalid_argument(key + ": points must not be negative");
    return points;
  }
  if (!value.is_string())
    throw std::invalid_argument(key + ": expected a price as a decimal string (\"0.00100\") or {\"points\": N}");
  auto parsed = sdk::parse_decimal(value.get<std::string>(), digits);
  if (!parsed.ok())
    throw std::invalid_argument(key + ": '" + value.get<std::string>() + "' " + sdk::describe(*parsed.error));
  if (parsed.value < 0) throw std::invalid_argument(key + ": must not be negative");
  return parsed.value;
}

}  // namespace

TrailingParams read_params(const std::string& defaults_json, const std::string& position_json, int digits) {
  Json merged = parse_object(defaults_json, "rule-trailing options");
  Json overrides = parse_object(position_json, "rule-trailing parameters");
  merged.update(overrides);
  TrailingParams out;
  if (merged.contains("distance")) {
    out.distance = read_distance(merged["distance"], "distance", digits);
    if (*out.distance == 0) throw std::invalid_argument("distance: must be positive");
  }
  if (merged.contains("activation")) out.activation = read_distance(merged["activation"], "activation", digits);
  if (merged.contains("step")) out.step = std::max<int64_t>(1, read_distance(merged["step"], "step", digits));
  return out;
}

}  // namespace vigil::trailing
