// rule-timestop: an example rule for integrators. It closes a position a
// fixed number of minutes after it opened, unless something else closed it
// first. It shows the whole rule contract in one page: options read at
// create, a deadline declared at attach, the callback answering with a close.
#include <cstdint>
#include <stdexcept>

#include "vigil/sdk.hpp"

namespace {

class TimeStop final : public vigil::sdk::Rule {
 public:
  // Options: {"minutes": N} (default 60, at most a year), read with the
  // SDK's Options: a typo or a bad value is refused naming the key.
  explicit TimeStop(const vigil::sdk::CreateArgs& args) {
    vigil::sdk::Options options(args.options_json, "rule-timestop");
    minutes_ = options.integer("minutes", 60, 1, kMinutesPerYear);
    options.finish();
  }

  void attach(const vigil::sdk::Position& position, const vigil::sdk::Actions& actions) override {
    if (position.opened_at_unix_ms == 0) throw std::invalid_argument("needs the position's opened_at");
    // A signal's levels are checked on a probe whose opened_at is INT64_MAX:
    // saturate rather than overflow.
    int64_t after = minutes_ * 60 * 1000;
    int64_t opened = position.opened_at_unix_ms;
    actions.set_deadline(1, opened > INT64_MAX - after ? INT64_MAX : opened + after);
  }

  void on_trigger(const vigil::sdk::Position&, const vigil::sdk::Trigger& trigger,
                  const vigil::sdk::Actions& actions) override {
    actions.close("time_stop", trigger.price, trigger.price);
  }

 private:
  static constexpr int64_t kMinutesPerYear = 366 * 24 * 60;
  int64_t minutes_ = 60;
};

}  // namespace

VIGIL_PLUGIN("rule-timestop", "1.0.0", "example: closes a position N minutes after it opened",
             vigil::sdk::rule<TimeStop>())
