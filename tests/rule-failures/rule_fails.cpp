// A rule that always fails when its level is crossed: the plugin the rule
// failure tests load to prove a failing rule is loud (issue #18). Given
// {"fail_at": "PRICE"}, it sets a level there (crossed upwards for a buy,
// downwards for a sell) and throws when it fires; given {"fail_on_attach":
// true} it throws when attached; given nothing, it leaves the position
// alone, as every shipped rule does. The option {"fail_on_attach": true}
// makes every attach fail.
#include <cstdint>
#include <stdexcept>

#include "vigil/sdk.hpp"

namespace {

class FailingRule final : public vigil::sdk::Rule {
 public:
  explicit FailingRule(const vigil::sdk::CreateArgs& args) {
    vigil::sdk::Options options(args.options_json, "rule-fails");
    fail_every_attach_ = options.boolean("fail_on_attach", false);
    options.finish();
  }

  void attach(const vigil::sdk::Position& p, const vigil::sdk::Actions& actions) override {
    vigil::sdk::Options params(p.params_json, "", "parameter");
    bool fail = fail_every_attach_ || params.boolean("fail_on_attach", false);
    int64_t level = params.price("fail_at", p.digits, 0);
    params.finish();
    if (fail) throw std::runtime_error("rule-fails always fails on attach");
    if (level == 0) return;
    actions.set_level(1, p.is_buy() ? vigil::sdk::Cross::at_or_above : vigil::sdk::Cross::at_or_below, level);
  }

  void on_trigger(const vigil::sdk::Position&, const vigil::sdk::Trigger&, const vigil::sdk::Actions&) override {
    throw std::runtime_error("rule-fails always fails on trigger");
  }

 private:
  bool fail_every_attach_ = false;  // the option {"fail_on_attach": true}: for `vigil plugins`'s sample position
};

}  // namespace

VIGIL_PLUGIN("rule-fails", "1.0.0", "test: fails on every trigger (or on attach)", vigil::sdk::rule<FailingRule>())
