// rule-timestop: an example rule for integrators. It closes a position a
// fixed number of minutes after it opened, unless something else closed it
// first. It shows the whole rule contract in one page: options read at
// create, a deadline declared at attach, the callback answering with a close.
#include <stdexcept>
#include <string>

#include "vigil/sdk.hpp"

namespace {

class TimeStop final : public vigil::sdk::Rule {
 public:
  // Options: {"minutes": N} (default 60). Real plugins would use a JSON
  // library; this example reads its one number by hand to stay dependency-free.
  explicit TimeStop(const vigil::sdk::CreateArgs& args) {
    auto at = args.options_json.find("\"minutes\"");
    if (at == std::string::npos) return;
    auto colon = args.options_json.find(':', at);
    minutes_ = std::stoll(args.options_json.substr(colon + 1));
    if (minutes_ <= 0) throw std::invalid_argument("rule-timestop: option minutes must be positive");
  }

  void attach(const vigil::sdk::Position& position, const vigil::sdk::Actions& actions) override {
    if (position.opened_at_unix_ms == 0) throw std::invalid_argument("needs the position's opened_at");
    actions.set_deadline(1, position.opened_at_unix_ms + minutes_ * 60 * 1000);
  }

  void on_trigger(const vigil::sdk::Position&, const vigil::sdk::Trigger& trigger,
                  const vigil::sdk::Actions& actions) override {
    actions.close("time_stop", trigger.price, trigger.price);
  }

 private:
  long long minutes_ = 60;
};

}  // namespace

VIGIL_PLUGIN("rule-timestop", "1.0.0", "example: closes a position N minutes after it opened",
             vigil::sdk::rule<TimeStop>())
