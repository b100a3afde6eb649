#include "core/domain/lifecycle.hpp"

#include <array>

namespace vigil::core {
namespace {

constexpr std::array<std::string_view, 6> kPositionNames = {"pending", "acknowledged", "open",
                                                            "closing", "closed",       "rejected"};
constexpr std::array<std::string_view, 5> kCommandNames = {"pending", "acknowledged", "executed", "failed", "expired"};

template <class Enum, size_t N>
std::optional<Enum> parse(const std::array<std::string_view, N>& names, std::string_view text) {
  for (size_t i = 0; i < N; ++i)
    if (names[i] == text) return static_cast<Enum>(i);
  return std::nullopt;
}

}  // namespace

std::string_view name(PositionState s) {
  return kPositionNames[static_cast<size_t>(s)];
}
std::string_view name(CommandStatus s) {
  return kCommandNames[static_cast<size_t>(s)];
}

std::optional<PositionState> parse_position_state(std::string_view text) {
  return parse<PositionState>(kPositionNames, text);
}
std::optional<CommandStatus> parse_command_status(std::string_view text) {
  return parse<CommandStatus>(kCommandNames, text);
}

bool allowed(PositionState from, PositionState to) {
  using S = PositionState;
  switch (from) {
    case S::pending:
      return to == S::acknowledged;
    case S::acknowledged:
      return to == S::open || to == S::rejected;
    case S::open:
      return to == S::closing || to == S::closed;
    case S::closing:
      return to == S::closed;
    case S::closed:
    case S::rejected:
      return false;
  }
  return false;
}

bool allowed(CommandStatus from, CommandStatus to) {
  using C = CommandStatus;
  switch (from) {
    case C::pending:
      return to == C::acknowledged || to == C::expired;
    case C::acknowledged:
      return to == C::executed || to == C::failed || to == C::expired;
    case C::executed:
    case C::failed:
    case C::expired:
      return false;
  }
  return false;
}

PositionState advance(PositionState from, PositionState to) {
  if (!allowed(from, to))
    throw IllegalTransition("position: " + std::string(name(from)) + " -> " + std::string(name(to)) +
                            " is not allowed");
  return to;
}

CommandStatus advance(CommandStatus from, CommandStatus to) {
  if (!allowed(from, to))
    throw IllegalTransition("close command: " + std::string(name(from)) + " -> " + std::string(name(to)) +
                            " is not allowed");
  return to;
}

}  // namespace vigil::core
