#include "core/domain/lifecycle.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace vigil::core;

TEST(PositionLifecycle, FollowsTheHappyPath) {
  PositionState s = PositionState::pending;
  s = advance(s, PositionState::acknowledged);
  s = advance(s, PositionState::open);
  s = advance(s, PositionState::closing);
  s = advance(s, PositionState::closed);
  EXPECT_EQ(s, PositionState::closed);
}

TEST(PositionLifecycle, AllowsExactlyTheDocumentedTransitions) {
  using S = PositionState;
  const S all[] = {S::pending, S::acknowledged, S::open, S::closing, S::closed, S::rejected};
  const std::pair<S, S> legal[] = {{S::pending, S::acknowledged},  {S::acknowledged, S::open},
                                   {S::acknowledged, S::rejected}, {S::open, S::closing},
                                   {S::open, S::closed},           {S::closing, S::closed}};
  for (S from : all)
    for (S to : all) {
      bool expected = std::find(std::begin(legal), std::end(legal), std::pair{from, to}) != std::end(legal);
      EXPECT_EQ(allowed(from, to), expected) << name(from) << " -> " << name(to);
    }
}

TEST(PositionLifecycle, RefusesAnIllegalTransitionNamingBothStates) {
  try {
    advance(PositionState::closed, PositionState::open);
    FAIL();
  } catch (const IllegalTransition& e) {
    EXPECT_STREQ(e.what(), "position: closed -> open is not allowed");
  }
}

TEST(CommandLifecycle, AllowsExactlyTheDocumentedTransitions) {
  using C = CommandStatus;
  const C all[] = {C::pending, C::acknowledged, C::executed, C::failed, C::expired};
  const std::pair<C, C> legal[] = {{C::pending, C::acknowledged},
                                   {C::pending, C::expired},
                                   {C::acknowledged, C::executed},
                                   {C::acknowledged, C::failed},
                                   {C::acknowledged, C::expired}};
  for (C from : all)
    for (C to : all) {
      bool expected = std::find(std::begin(legal), std::end(legal), std::pair{from, to}) != std::end(legal);
      EXPECT_EQ(allowed(from, to), expected) << name(from) << " -> " << name(to);
    }
  EXPECT_THROW(advance(C::executed, C::failed), IllegalTransition);
}

TEST(CommandLifecycle, CallsPendingAndAcknowledgedLive) {
  EXPECT_TRUE(is_live(CommandStatus::pending));
  EXPECT_TRUE(is_live(CommandStatus::acknowledged));
  EXPECT_FALSE(is_live(CommandStatus::executed));
  EXPECT_FALSE(is_live(CommandStatus::expired));
}

TEST(Lifecycle, NamesParseBack) {
  for (auto s : {PositionState::pending, PositionState::closing, PositionState::rejected})
    EXPECT_EQ(parse_position_state(name(s)), s);
  for (auto c : {CommandStatus::pending, CommandStatus::failed}) EXPECT_EQ(parse_command_status(name(c)), c);
  EXPECT_FALSE(parse_position_state("opened"));
}
