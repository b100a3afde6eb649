// Reading a rule's parameters: the config's options are the defaults, a
// position's own parameters (per signal, or a replay file's "rules") are
// laid over them. Shared by the rule plugins; plugin-side code only.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace vigil::rule_params {

// `defaults_json` overlaid with `position_json` (either may be empty).
// Throws std::invalid_argument when one is not a JSON object or names a key
// outside `allowed`.
nlohmann::json merge(std::string_view defaults_json, std::string_view position_json,
                     std::initializer_list<std::string_view> allowed);

// A distance in price units: a decimal string ("0.00050") or {"points": N}.
// Throws std::invalid_argument naming `key`.
int64_t distance(const nlohmann::json& value, const std::string& key, int digits);

}  // namespace vigil::rule_params
