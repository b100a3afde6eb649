// A position's rule states as its row keeps them (rule_state_json): where
// each rule that moves levels stands, by rule name, plus the catastrophe
// stop's level. One reader, so recovery, the admin view and the EA's ack
// answer see the same thing.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/workflow/records.hpp"

namespace vigil::core {

// {"rule-name": "state", ...}; anything else is ignored with a warning (the
// rules then start afresh from the position).
std::map<std::string, std::string> rule_states_of(const PositionRow& p);
// The same map as the row keeps it.
std::string rule_states_json(const std::map<std::string, std::string>& states);

// A signal's rule choice as it is stored (SignalRow::rules_json): each
// chosen rule's parameters (JSON objects' texts) by name, and the
// catastrophe stop's flag when asked for.
std::string rule_choice_json(const std::vector<std::pair<std::string, std::string>>& rules, bool catastrophe_stop);
// The parameters `rules_json` gives each of `rule_names` ("{}" for a rule it
// does not name), in that order.
std::vector<std::string> rule_params_of(const std::string& rules_json, const std::vector<std::string>& rule_names);

}  // namespace vigil::core
