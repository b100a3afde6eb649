// A rule that always fails when its level is crossed: the plugin the rule
// failure tests load to prove a failing rule is loud (issue #18). Given
// {"fail_at": "PRICE"}, it sets a level there (crossed upwards for a buy,
// downwards for a sell) and throws when it fires; given {"fail_on_attach":
// true} it throws when attached; given nothing, it leaves the position
// alone, as every shipped rule does. The option {"fail_on_attach": true}
// makes every attach fail.
#include <stdexcept>
#include <string>

#include "vigil/sdk.hpp"

namespace {

// The text of `"key": "value"` in a flat JSON object; "" when absent.
// Enough for this test rule's two parameters, whose values hold no quote.
std::string text_of(const std::string& json, const std::string& key) {
  size_t at = json.find("\"" + key + "\"");
  if (at == std::string::npos) return "";
  size_t colon = json.find(':', at);
  size_t start = json.find_first_not_of(" \"", colon + 1);
  size_t end = json.find_first_of("\",}", start);
  return json.substr(start, end - start);
}

class FailingRule final : public vigil::sdk::Rule {
 public:
  explicit FailingRule(const vigil::sdk::CreateArgs& args)
      : fail_every_attach_(text_of(std::string(args.options_json), "fail_on_attach") == "true") {}

  void attach(const vigil::sdk::Position& p, const vigil::sdk::Actions& actions) override {
    std::string params(p.params_json);
    if (fail_every_attach_ || text_of(params, "fail_on_attach") == "true")
      throw std::runtime_error("rule-fails always fails on attach");
    std::string at = text_of(params, "fail_at");
    if (at.empty()) return;
    auto level = vigil::sdk::parse_decimal(at, p.digits);
    if (!level.ok()) throw std::invalid_argument("fail_at: not a price");
    actions.set_level(1, p.is_buy() ? vigil::sdk::Cross::at_or_above : vigil::sdk::Cross::at_or_below, level.value);
  }

  void on_trigger(const vigil::sdk::Position&, const vigil::sdk::Trigger&, const vigil::sdk::Actions&) override {
    throw std::runtime_error("rule-fails always fails on trigger");
  }

 private:
  bool fail_every_attach_;  // the option {"fail_on_attach": true}: for `vigil plugins`'s sample position
};

}  // namespace

VIGIL_PLUGIN("rule-fails", "1.0.0", "test: fails on every trigger (or on attach)", vigil::sdk::rule<FailingRule>())
