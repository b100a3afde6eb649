#include "core/workflow/rule_states.hpp"

#include <nlohmann/json.hpp>

#include "core/support/log.hpp"
#include "core/workflow/catastrophe_stop.hpp"

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

std::string rule_states_json(const std::map<std::string, std::string>& states) {
  return nlohmann::json(states).dump();
}

std::string rule_choice_json(const std::vector<std::pair<std::string, std::string>>& rules, bool catastrophe_stop) {
  nlohmann::json choice = nlohmann::json::object();
  for (const auto& [name, params] : rules) choice[name] = nlohmann::json::parse(params);
  if (catastrophe_stop) choice[kCatastropheKey] = true;
  return choice.dump();
}

std::vector<std::string> rule_params_of(const std::string& rules_json, const std::vector<std::string>& rule_names) {
  nlohmann::json chosen = nlohmann::json::parse(rules_json.empty() ? "{}" : rules_json, nullptr, false);
  std::vector<std::string> out;
  out.reserve(rule_names.size());
  for (const std::string& name : rule_names)
    out.push_back(chosen.is_object() && chosen.contains(name) ? chosen[name].dump() : "{}");
  return out;
}

}  // namespace vigil::core
