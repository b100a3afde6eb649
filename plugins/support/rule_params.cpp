#include "rule_params.hpp"

#include <stdexcept>

#include "vigil/cpp/decimal.hpp"

namespace vigil::rule_params {
namespace {

nlohmann::json object(std::string_view text, const char* what, std::initializer_list<std::string_view> allowed) {
  if (text.empty()) return nlohmann::json::object();
  nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_object()) throw std::invalid_argument(std::string(what) + " must be a JSON object");
  for (const auto& item : json.items()) {
    bool known = false;
    for (std::string_view key : allowed) known = known || key == item.key();
    if (!known) throw std::invalid_argument(std::string(what) + ": unknown parameter '" + item.key() + "'");
  }
  return json;
}

}  // namespace

nlohmann::json merge(std::string_view defaults_json, std::string_view position_json,
                     std::initializer_list<std::string_view> allowed) {
  nlohmann::json merged = object(defaults_json, "options", allowed);
  nlohmann::json overrides = object(position_json, "parameters", allowed);
  merged.update(overrides);
  return merged;
}

int64_t distance(const nlohmann::json& value, const std::string& key, int digits) {
  if (value.is_object() && value.size() == 1 && value.contains("points") && value["points"].is_number_integer()) {
    int64_t points = value["points"];
    if (points < 0) throw std::invalid_argument(key + ": points must not be negative");
    return points;
  }
  if (!value.is_string())
    throw std::invalid_argument(key + ": expected a price as a decimal string (\"0.00050\") or {\"points\": N}");
  auto parsed = sdk::parse_decimal(value.get<std::string>(), digits);
  if (!parsed.ok())
    throw std::invalid_argument(key + ": '" + value.get<std::string>() + "' " + sdk::describe(*parsed.error));
  if (parsed.value < 0) throw std::invalid_argument(key + ": must not be negative");
  return parsed.value;
}

}  // namespace vigil::rule_params
