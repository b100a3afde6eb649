// rule-sltp: the hidden stop-loss and take-profit of docs/breach-semantics.md.
//
//   BUY  (trigger: bid)  stop-loss: bid <= owner_sl   take-profit: bid >= owner_tp
//   SELL (trigger: ask)  stop-loss: ask >= owner_sl   take-profit: ask <= owner_tp
//
// The rule only declares the two levels; the engine's books find the first
// tick that crosses one. The close carries that tick's trigger price and
// the level, which differ after a gap.
#include <stdexcept>
#include <string>

#include "vigil/sdk.hpp"

namespace {

using vigil::sdk::Cross;
using vigil::sdk::format_decimal;

class SlTpRule final : public vigil::sdk::Rule {
 public:
  enum Level : uint32_t { kStopLoss = 1, kTakeProfit = 2 };

  explicit SlTpRule(const vigil::sdk::CreateArgs& args) {
    if (args.options_json != "{}" && !args.options_json.empty())
      throw std::invalid_argument("rule-sltp takes no options");
  }

  void attach(const vigil::sdk::Position& p, const vigil::sdk::Actions& actions) override {
    bool buy = p.is_buy();
    if (p.owner_sl && p.owner_tp && (buy ? *p.owner_sl >= *p.owner_tp : *p.owner_sl <= *p.owner_tp)) {
      throw std::invalid_argument("owner_sl " + format_decimal(*p.owner_sl, p.digits) + " must be " +
                                  (buy ? "below" : "above") + " owner_tp " + format_decimal(*p.owner_tp, p.digits) +
                                  " for a " + (buy ? "BUY" : "SELL") + " position");
    }
    if (p.owner_sl) actions.set_level(kStopLoss, buy ? Cross::at_or_below : Cross::at_or_above, *p.owner_sl);
    if (p.owner_tp) actions.set_level(kTakeProfit, buy ? Cross::at_or_above : Cross::at_or_below, *p.owner_tp);
  }

  void on_trigger(const vigil::sdk::Position&, const vigil::sdk::Trigger& t,
                  const vigil::sdk::Actions& actions) override {
    if (t.is_deadline) return;
    actions.close(t.id == kStopLoss ? "sl_hit" : "tp_hit", t.price, t.level);
  }
};

}  // namespace

VIGIL_PLUGIN("rule-sltp", "1.0.0", "hidden stop-loss and take-profit (docs/breach-semantics.md)",
             vigil::sdk::rule<SlTpRule>())
