// One JSON object a line on stdout for every action of the EA loop, so a
// test or an operator can follow (and grep) what the EA did. Each line has
// "ts" (unix ms) and "action"; the rest depends on the action.
//
// Threading: a line is written and flushed under a lock.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace vigil::ea {

void log_action(const std::string& action, nlohmann::json fields);

}  // namespace vigil::ea
