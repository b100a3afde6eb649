// A position's rule states as its row keeps them (rule_state_json): where
// each rule that moves levels stands, by rule name, plus the catastrophe
// stop's level. One reader, so recovery, the admin view and the EA's ack
// answer see the same thing.
#pragma once

#include <map>
#include <string>

#include "core/workflow/records.hpp"

namespace vigil::core {

// {"rule-name": "state", ...}; anything else is ignored with a warning (the
// rules then start afresh from the position).
std::map<std::string, std::string> rule_states_of(const PositionRow& p);

}  // namespace vigil::core
