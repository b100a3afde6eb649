// rule-expiry: closes a position at a deadline or after a holding time.
// Reason "expired". Driven by the engine's deadline heap (never a scan):
// the deadline fires on the first tick at or after it, or on the wall clock
// in vigild, whichever comes first. The close carries the position's current
// trigger price (0 if its instrument has not ticked yet) as price and level.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "vigil/cpp/options.hpp"
#include "vigil/sdk.hpp"

namespace {

struct ExpiryParams {
  std::optional<int64_t> at;        // absolute, unix ms
  std::optional<int64_t> after_ms;  // holding time from opened_at
};

// "at": ISO-8601 UTC or unix milliseconds; "after": a positive duration
// ("90s", "15m", "4h", "2d" or a number of seconds).
ExpiryParams read_params(const std::string& defaults, std::string_view position) {
  auto merged = vigil::sdk::Options::merge(defaults, position, {"at", "after"});
  ExpiryParams out;
  if (merged.has("at")) out.at = merged.required_time_ms("at");
  if (merged.has("after")) out.after_ms = merged.required_duration_ms("after");
  return out;
}

class ExpiryRule final : public vigil::sdk::Rule {
 public:
  enum : uint32_t { kDeadline = 1 };

  explicit ExpiryRule(const vigil::sdk::CreateArgs& args) : defaults_(args.options_json) {
    read_params(defaults_, "");  // refuse bad options at start
  }

  void attach(const vigil::sdk::Position& p, const vigil::sdk::Actions& a) override {
    ExpiryParams params = read_params(defaults_, p.params_json);
    std::optional<int64_t> deadline = params.at;
    if (params.after_ms) {
      if (p.opened_at_unix_ms == 0)
        throw std::invalid_argument("after: the position has no opened_at to count the holding time from");
      // Saturating: a position opened in the far future (the host's probe
      // of a new signal is) must not overflow into the past.
      int64_t held =
          p.opened_at_unix_ms > INT64_MAX - *params.after_ms ? INT64_MAX : p.opened_at_unix_ms + *params.after_ms;
      deadline = deadline ? std::min(*deadline, held) : held;
    }
    if (deadline) a.set_deadline(kDeadline, *deadline);
  }

  void on_trigger(const vigil::sdk::Position&, const vigil::sdk::Trigger& t, const vigil::sdk::Actions& a) override {
    if (t.is_deadline && t.id == kDeadline) a.close("expired", t.price, t.price);
  }

 private:
  std::string defaults_;
};

}  // namespace

VIGIL_PLUGIN("rule-expiry", "1.0.0", "closes a position at a deadline or after a holding time",
             vigil::sdk::rule<ExpiryRule>())
