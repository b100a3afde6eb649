// The lifecycles of positions and close commands, and nothing else: which
// state may follow which. Every state change in the application goes
// through `advance`, so an illegal one is refused in one place.
//
//   position: pending -> acknowledged -> open -> closing -> closed
//             acknowledged -> rejected  (the EA could not open it)
//             open -> closed            (closed at the broker outside Vigil)
//   A position is acknowledged when a poll delivers it to its device: an
//   EA can only execute or reject what it was given.
//   command:  pending -> acknowledged -> executed | failed | expired
//             pending -> expired        (never delivered in time)
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace vigil::core {

enum class PositionState { pending, acknowledged, open, closing, closed, rejected };
enum class CommandStatus { pending, acknowledged, executed, failed, expired };

class IllegalTransition : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

std::string_view name(PositionState state);
std::string_view name(CommandStatus status);
std::optional<PositionState> parse_position_state(std::string_view text);
std::optional<CommandStatus> parse_command_status(std::string_view text);

bool allowed(PositionState from, PositionState to);
bool allowed(CommandStatus from, CommandStatus to);

// Returns `to`, or throws IllegalTransition "position: open -> pending".
PositionState advance(PositionState from, PositionState to);
CommandStatus advance(CommandStatus from, CommandStatus to);

// A command still waiting for the EA's result (the store's "live" command).
inline bool is_live(CommandStatus s) {
  return s == CommandStatus::pending || s == CommandStatus::acknowledged;
}

}  // namespace vigil::core
