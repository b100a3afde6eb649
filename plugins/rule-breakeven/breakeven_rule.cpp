// rule-breakeven: once price has moved `trigger` in the position's favour,
// a hidden stop moves to the entry price plus `offset` (locking in a small
// gain, or break-even with offset 0). Reason "sl_hit", with the moved level.
//
// Two levels, no scan: an activation level (BUY: bid at or above
// entry + trigger) and, once it fires, the stop (BUY: bid at or below
// entry + offset). SELL mirrors this on the ask. Once the stop has moved
// the state says "moved", so a restart declares the stop, not the
// activation level again.
#include <optional>
#include <string>

#include "vigil/cpp/options.hpp"
#include "vigil/sdk.hpp"

namespace {

using vigil::sdk::Cross;

struct BreakevenParams {
  int64_t trigger = 0;  // price units, > 0
  int64_t offset = 0;   // price units, >= 0, < trigger
};

std::optional<BreakevenParams> read_params(const std::string& defaults, std::string_view position, int digits) {
  auto merged = vigil::sdk::Options::merge(defaults, position, {"trigger", "offset"});
  if (!merged.has("trigger")) return std::nullopt;
  BreakevenParams out;
  out.trigger = merged.required_distance("trigger", digits);
  out.offset = merged.distance("offset", digits, 0);
  if (out.trigger <= 0) merged.fail("trigger", "must be positive");
  if (out.offset >= out.trigger) merged.fail("offset", "must be below trigger");
  return out;
}

class BreakevenRule final : public vigil::sdk::Rule {
 public:
  enum : uint32_t { kActivation = 1, kStop = 2 };

  explicit BreakevenRule(const vigil::sdk::CreateArgs& args) : defaults_(args.options_json) {
    read_params(defaults_, "", 5);  // refuse bad options at start
  }

  void attach(const vigil::sdk::Position& p, const vigil::sdk::Actions& a) override {
    auto params = read_params(defaults_, p.params_json, p.digits);
    if (!params) return;
    if (p.state == kMoved) return declare_stop(p, *params, a);
    a.set_level(kActivation, p.is_buy() ? Cross::at_or_above : Cross::at_or_below, favour(p, params->trigger));
  }

  void on_trigger(const vigil::sdk::Position& p, const vigil::sdk::Trigger& t, const vigil::sdk::Actions& a) override {
    if (t.is_deadline) return;
    if (t.id == kStop) return a.close("sl_hit", t.price, t.level);
    auto params = read_params(defaults_, p.params_json, p.digits);
    if (!params) return;
    a.save_state(kMoved);
    declare_stop(p, *params, a);
  }

 private:
  static constexpr std::string_view kMoved = "moved";

  static void declare_stop(const vigil::sdk::Position& p, const BreakevenParams& params, const vigil::sdk::Actions& a) {
    a.set_level(kStop, p.is_buy() ? Cross::at_or_below : Cross::at_or_above, favour(p, params.offset));
  }
  static int64_t favour(const vigil::sdk::Position& p, int64_t distance) {
    return p.is_buy() ? p.entry_price + distance : p.entry_price - distance;
  }
  std::string defaults_;
};

}  // namespace

VIGIL_PLUGIN("rule-breakeven", "1.0.0", "moves a hidden stop to entry (+ offset) once price moved in favour",
             vigil::sdk::rule<BreakevenRule>())
