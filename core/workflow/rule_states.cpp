#include "core/workflow/rule_states.hpp"

#include <nlohmann/json.hpp>

#include "core/support/log.hpp"

namespace vigil::core {

std::map<std::string, std::string> rule_states_of(const PositionRow& p) {
  std::map<std::string, std::string> out;
  if (p.rule_state_json.empty()) return out;
  nlohmann::json saved = nlohmann::json::parse(p.rule_state_json, nullptr, false);
  if (!saved.is_object()) {
    log(LogLevel::warn, "workflow", "position " + p.id + ": rule_state_json is not a JSON object; ignored");
    return out;
  }
  for (const auto& [rule, state] : saved.items())
    if (state.is_string()) out[rule] = state.get<std::string>();
  return out;
}

}  // namespace vigil::core
