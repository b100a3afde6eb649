// The fallback to a position's own stop while its rule fails
// (EngineRule::fallback_to_owner_stop, the config's `fallback: owner_stop`).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/engine/engine.hpp"
#include "core/plugins/component.hpp"
#include "core/plugins/host_services.hpp"
#include "vigil/sdk.hpp"

using namespace vigil;
using core::CloseEvent;

namespace {

// Sets a level at the price its parameters give (crossed upwards for a BUY,
// downwards for a SELL) and fails when it fires, while `failing` is set.
class FlakyRule final : public sdk::Rule {
 public:
  static inline bool failing = true;
  explicit FlakyRule(const sdk::CreateArgs&) {}
  void attach(const sdk::Position& p, const sdk::Actions& actions) override {
    actions.set_level(1, p.is_buy() ? sdk::Cross::at_or_above : sdk::Cross::at_or_below,
                      std::stoll(std::string(p.params_json)));
  }
  void on_trigger(const sdk::Position&, const sdk::Trigger&, const sdk::Actions&) override {
    if (failing) throw std::runtime_error("flaky rule fails");
  }
};

struct Fixture {
  core::Instruments instruments;
  core::Metrics metrics;
  core::HostServices services{"flaky", metrics, nullptr};
  core::Component<vigil_rule_vtable> component{static_cast<const vigil_rule_vtable*>(sdk::rule<FlakyRule>().vtable),
                                               "flaky", "{}", services.table()};
  std::unique_ptr<core::Engine> engine;
  std::vector<CloseEvent> out;
  int64_t time = 1'700'000'000'000;

  explicit Fixture(bool fallback) {
    instruments.add("EURUSD", 5);
    core::EngineRule rule{"flaky", component.vtable(), component.instance()};
    rule.fallback_to_owner_stop = fallback;
    engine = std::make_unique<core::Engine>(instruments, std::vector<core::EngineRule>{rule});
    FlakyRule::failing = true;
  }

  // A position whose rule's level is at `rule_level`, with its own stops.
  void add(core::Side side, int64_t rule_level, int64_t owner_sl, int64_t owner_tp) {
    core::NewPosition p;
    p.key = 1;
    p.id = "p1";
    p.side = side;
    p.volume = VIGIL_VOLUME_SCALE;
    p.entry_price = 110'000;
    p.owner_sl = owner_sl;
    p.owner_tp = owner_tp;
    p.rules = {{0, std::to_string(rule_level)}};
    engine->add(p);
  }

  void tick(int64_t bid, int64_t ask) { engine->on_tick(0, bid, ask, time += 1000, 0, out); }
};

}  // namespace

TEST(EngineFallback, ABuyWhoseRuleFailsIsClosedAtItsOwnStopLossWhenTheFallbackIsOn) {
  Fixture f(true);
  f.add(core::Side::buy, 110'500, 109'000, 112'000);
  f.tick(110'600, 110'610);  // the rule's level: it fails
  EXPECT_TRUE(f.out.empty());
  EXPECT_EQ(f.engine->rule_failures().snapshot().failing.size(), 1u);

  f.tick(108'990, 109'000);  // below owner_sl
  ASSERT_EQ(f.out.size(), 1u);
  EXPECT_EQ(f.out[0].reason, "fallback_sl_hit");
  EXPECT_EQ(f.out[0].price, 108'990);
  EXPECT_EQ(f.out[0].level, 109'000);
  EXPECT_EQ(f.out[0].volume, 0);
  EXPECT_EQ(f.engine->open_positions(), 0u);
  EXPECT_TRUE(f.engine->rule_failures().snapshot().failing.empty());  // its failure left with it
}

TEST(EngineFallback, WithoutTheFallbackTheFailingPositionStaysOpenPastItsStopLoss) {
  Fixture f(false);
  f.add(core::Side::buy, 110'500, 109'000, 112'000);
  f.tick(110'600, 110'610);
  f.tick(108'990, 109'000);
  EXPECT_TRUE(f.out.empty());
  EXPECT_EQ(f.engine->open_positions(), 1u);
  EXPECT_EQ(f.engine->rule_failures().snapshot().failing.size(), 1u);  // the alert stands
}

TEST(EngineFallback, ASellIsClosedAtItsOwnTakeProfitOnTheAsk) {
  Fixture f(true);
  f.add(core::Side::sell, 109'500, 111'000, 108'000);
  f.tick(109'390, 109'400);  // the rule's level (ask at or below 1.09500): it fails
  f.tick(108'010, 108'020);  // the bid crosses owner_tp, the ask does not: a SELL closes on the ask
  EXPECT_TRUE(f.out.empty());
  f.tick(107'990, 108'000);
  ASSERT_EQ(f.out.size(), 1u);
  EXPECT_EQ(f.out[0].reason, "fallback_tp_hit");
  EXPECT_EQ(f.out[0].price, 108'000);
  EXPECT_EQ(f.out[0].level, 108'000);
}

TEST(EngineFallback, ARuleFailingWhenThePriceIsAlreadyPastTheStopClosesOnThatTick) {
  Fixture f(true);
  f.add(core::Side::buy, 108'000, 109'000, 112'000);  // the rule's level crossed upwards from anywhere
  f.tick(108'500, 108'510);                           // fails, and the bid is already below owner_sl
  ASSERT_EQ(f.out.size(), 1u);
  EXPECT_EQ(f.out[0].reason, "fallback_sl_hit");
  EXPECT_EQ(f.out[0].price, 108'500);
}

TEST(EngineFallback, TheFallbackEndsWhenTheRuleRecovers) {
  Fixture f(true);
  f.add(core::Side::buy, 110'500, 109'000, 112'000);
  f.tick(110'600, 110'610);
  FlakyRule::failing = false;
  f.tick(110'700, 110'710);  // the level fires again and the rule succeeds
  EXPECT_TRUE(f.engine->rule_failures().snapshot().failing.empty());
  f.tick(108'990, 109'000);  // the rule set no stop: nothing watches owner_sl now
  EXPECT_TRUE(f.out.empty());
  EXPECT_EQ(f.engine->open_positions(), 1u);
}
