#include "core/workflow/catastrophe_stop.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace vigil::core {

int64_t catastrophe_level(bool buy, int64_t fill, int64_t owner_sl, const CatastropheOptions& options, double unit) {
  const int64_t hidden = std::max<int64_t>(std::llabs(fill - owner_sl), 1);
  const double factor = (static_cast<double>(options.multiple_percent) +
                         static_cast<double>(options.random_percent) * std::clamp(unit, 0.0, 1.0)) /
                        100.0;
  // Rounded away from the fill: the hard stop is never nearer than asked.
  const int64_t distance = std::max<int64_t>(static_cast<int64_t>(std::ceil(static_cast<double>(hidden) * factor)), 1);
  return buy ? std::max<int64_t>(fill - distance, 1) : fill + distance;
}

bool wants_catastrophe_stop(const std::string& rules_json) {
  nlohmann::json rules = nlohmann::json::parse(rules_json, nullptr, false);
  return rules.is_object() && rules.value(kCatastropheKey, false) == true;
}

std::optional<std::string> saved_catastrophe_stop(const std::map<std::string, std::string>& rule_states) {
  auto level = rule_states.find(kCatastropheKey);
  if (level == rule_states.end()) return std::nullopt;
  return level->second;
}

}  // namespace vigil::core
