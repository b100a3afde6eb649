// rule-ladder: partial take-profits. At each step's level, close a fraction
// of the original volume (reason "tp_partial"); at the last, close the rest
// (reason "tp_hit"). One level at a time is declared: the next step's level
// is declared when the previous one fires, so the ladder costs one book
// entry per position. The original volume is saved as the rule's state, so
// fractions stay fractions of it after partial closes and restarts.
#include <string>

#include "ladder_params.hpp"
#include "vigil/sdk.hpp"

namespace {

using vigil::sdk::Cross;

class LadderRule final : public vigil::sdk::Rule {
 public:
  explicit LadderRule(const vigil::sdk::CreateArgs& args) : defaults_(args.options_json) {}

  void attach(const vigil::sdk::Position& p, const vigil::sdk::Actions& a) override {
    auto steps = vigil::ladder::read_steps(defaults_, p.params_json, p.digits, p.is_buy(), p.entry_price);
    if (steps.empty()) return;
    a.save_state(std::to_string(p.volume));
    declare(p, steps, 0, a);
  }

  void on_trigger(const vigil::sdk::Position& p, const vigil::sdk::Trigger& t, const vigil::sdk::Actions& a) override {
    if (t.is_deadline) return;
    auto steps = vigil::ladder::read_steps(defaults_, p.params_json, p.digits, p.is_buy(), p.entry_price);
    size_t index = t.id;
    if (index + 1 >= steps.size()) return a.close("tp_hit", t.price, t.level);
    int64_t original = std::stoll(std::string(p.state));
    int64_t volume = original / 1000000 * steps[index].fraction + original % 1000000 * steps[index].fraction / 1000000;
    a.close("tp_partial", t.price, t.level, std::max<int64_t>(volume, 1));
    declare(p, steps, index + 1, a);
  }

 private:
  static void declare(const vigil::sdk::Position& p, const std::vector<vigil::ladder::Step>& steps, size_t index,
                      const vigil::sdk::Actions& a) {
    a.set_level(static_cast<uint32_t>(index), p.is_buy() ? Cross::at_or_above : Cross::at_or_below, steps[index].price);
  }
  std::string defaults_;
};

}  // namespace

VIGIL_PLUGIN("rule-ladder", "1.0.0", "partial take-profit ladder", vigil::sdk::rule<LadderRule>())
