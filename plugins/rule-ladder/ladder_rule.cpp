// rule-ladder: partial take-profits. At each step's level, close a fraction
// of the original volume (reason "tp_partial"); at the last, close the rest
// (reason "tp_hit"). One level at a time is declared: the next step's level
// is declared when the previous one fires, so the ladder costs one book
// entry per position. The state is "ORIGINAL_VOLUME:NEXT_STEP", so
// fractions stay fractions of the original volume after partial closes, and
// a restart declares the next step, never one already taken.
#include <stdexcept>
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
    if (p.state.empty()) {
      a.save_state(state_of(p.volume, 0));
      return declare(p, steps, 0, a);
    }
    size_t next = saved(p).next;
    if (next >= steps.size()) throw std::invalid_argument("saved step " + std::to_string(next) + " is past the ladder");
    declare(p, steps, next, a);
  }

  void on_trigger(const vigil::sdk::Position& p, const vigil::sdk::Trigger& t, const vigil::sdk::Actions& a) override {
    if (t.is_deadline) return;
    auto steps = vigil::ladder::read_steps(defaults_, p.params_json, p.digits, p.is_buy(), p.entry_price);
    size_t index = t.id;
    if (index + 1 >= steps.size()) return a.close("tp_hit", t.price, t.level);
    int64_t original = saved(p).original;
    int64_t volume = original / 1000000 * steps[index].fraction + original % 1000000 * steps[index].fraction / 1000000;
    a.close("tp_partial", t.price, t.level, std::max<int64_t>(volume, 1));
    a.save_state(state_of(original, index + 1));
    declare(p, steps, index + 1, a);
  }

 private:
  struct Saved {
    int64_t original = 0;
    size_t next = 0;
  };
  static std::string state_of(int64_t original, size_t next) {
    return std::to_string(original) + ":" + std::to_string(next);
  }
  static Saved saved(const vigil::sdk::Position& p) {
    std::string state(p.state);
    size_t colon = state.find(':');
    if (colon == std::string::npos) throw std::invalid_argument("saved state '" + state + "' is not VOLUME:STEP");
    return {std::stoll(state.substr(0, colon)), std::stoul(state.substr(colon + 1))};
  }
  static void declare(const vigil::sdk::Position& p, const std::vector<vigil::ladder::Step>& steps, size_t index,
                      const vigil::sdk::Actions& a) {
    a.set_level(static_cast<uint32_t>(index), p.is_buy() ? Cross::at_or_above : Cross::at_or_below, steps[index].price);
  }
  std::string defaults_;
};

}  // namespace

VIGIL_PLUGIN("rule-ladder", "1.0.0", "partial take-profit ladder", vigil::sdk::rule<LadderRule>())
