// A rule written in the test, through the SDK's C++ layer: a take-profit
// at the position's owner_tp, and, when the position's rule parameters are
// a number, a deadline at that unix time. Positions without owner_tp are
// refused, so validation has something to refuse.
#pragma once

#include <stdexcept>
#include <string>

#include "core/engine/engine.hpp"
#include "core/plugins/component.hpp"
#include "core/plugins/host_services.hpp"
#include "vigil/sdk.hpp"

namespace vigil::test {

class TakeProfitRule final : public sdk::Rule {
 public:
  explicit TakeProfitRule(const sdk::CreateArgs&) {}
  void attach(const sdk::Position& p, const sdk::Actions& actions) override {
    if (!p.owner_tp) throw std::invalid_argument("the test rule needs owner_tp");
    actions.set_level(1, p.is_buy() ? sdk::Cross::at_or_above : sdk::Cross::at_or_below, *p.owner_tp);
    if (p.params_json != "{}") actions.set_deadline(2, std::stoll(std::string(p.params_json)));
  }
  void on_trigger(const sdk::Position&, const sdk::Trigger& t, const sdk::Actions& actions) override {
    actions.close(t.is_deadline ? "deadline" : "tp_hit", t.price, t.level);
  }
};

// The rule's component and its host, for Engine, EngineShards or Application.
struct TestRule {
  core::Metrics metrics;
  core::HostServices services{"test-rule", metrics, nullptr};
  core::Component<vigil_rule_vtable> component{
      static_cast<const vigil_rule_vtable*>(sdk::rule<TakeProfitRule>().vtable), "test-rule", "{}", services.table()};
  std::vector<core::EngineRule> list() { return {{"test-rule", component.vtable(), component.instance()}}; }
};

// A BUY position of instrument 0 taking profit at `owner_tp` (fixed point).
inline core::NewPosition buy_position(uint64_t key, int64_t owner_tp, std::string params = "{}") {
  core::NewPosition p;
  p.key = key;
  p.id = "p" + std::to_string(key);
  p.instrument = 0;
  p.side = core::Side::buy;
  p.volume = VIGIL_VOLUME_SCALE;
  p.entry_price = owner_tp - 100;
  p.owner_tp = owner_tp;
  p.rules = {{0, std::move(params)}};
  return p;
}

}  // namespace vigil::test
