// rule-trailing: a hidden stop that trails the best price by a distance and
// only ever moves in the position's favour. Reason "trailing_stop".
//
// Levels (never a scan): for a BUY, the stop "at or below" best - distance
// on the bid, and a ratchet "at or above" best + step that, when crossed,
// raises the best price and with it the stop. Before activation only an
// activation level exists. SELL mirrors this on the ask. The best price is
// saved as the rule's state, so a restart resumes where it stood.
#include <string>

#include "params_cache.hpp"
#include "trailing_params.hpp"
#include "vigil/sdk.hpp"

namespace {

using vigil::sdk::Cross;
using vigil::trailing::TrailingParams;

enum Level : uint32_t { kStop = 1, kRatchet = 2, kActivation = 3 };

class TrailingRule final : public vigil::sdk::Rule {
 public:
  explicit TrailingRule(const vigil::sdk::CreateArgs& args) : defaults_(args.options_json) {
    vigil::trailing::read_params(defaults_, "", 5);  // refuse bad options at start
  }

  void attach(const vigil::sdk::Position& p, const vigil::sdk::Actions& a) override {
    TrailingParams params = read(p);
    if (!params.distance) return;
    // A saved best price means the stop was trailing before a restart.
    if (!p.state.empty()) return trail_from(p, params, std::stoll(std::string(p.state)), a);
    if (params.activation == 0) return trail_from(p, params, p.entry_price, a);
    int64_t activation = favour(p, p.entry_price, params.activation);
    a.set_level(kActivation, p.is_buy() ? Cross::at_or_above : Cross::at_or_below, activation);
  }

  void on_trigger(const vigil::sdk::Position& p, const vigil::sdk::Trigger& t, const vigil::sdk::Actions& a) override {
    TrailingParams params = read(p);
    if (!params.distance || t.is_deadline) return;
    if (t.id == kStop) return a.close("trailing_stop", t.price, t.level);
    trail_from(p, params, t.price, a);  // activation reached or a new best price
  }

 private:
  TrailingParams read(const vigil::sdk::Position& p) const {
    return params_.get(p.params_json, p.digits, [this](const std::string& text, int digits) {
      return vigil::trailing::read_params(defaults_, text, digits);
    });
  }

  // `distance` in the position's favour from `price`.
  static int64_t favour(const vigil::sdk::Position& p, int64_t price, int64_t distance) {
    return p.is_buy() ? price + distance : price - distance;
  }

  // Sets the stop behind `best` (never backwards) and the ratchet ahead.
  void trail_from(const vigil::sdk::Position& p, const TrailingParams& params, int64_t price,
                  const vigil::sdk::Actions& a) const {
    int64_t best = price;
    if (!p.state.empty()) {
      int64_t saved = std::stoll(std::string(p.state));
      best = p.is_buy() ? std::max(saved, price) : std::min(saved, price);
    }
    a.save_state(std::to_string(best));
    a.set_level(kStop, p.is_buy() ? Cross::at_or_below : Cross::at_or_above, favour(p, best, -*params.distance));
    a.set_level(kRatchet, p.is_buy() ? Cross::at_or_above : Cross::at_or_below, favour(p, best, params.step));
  }

  std::string defaults_;
  vigil::params::ParamsCache<TrailingParams> params_;
};

}  // namespace

VIGIL_PLUGIN("rule-trailing", "1.0.0", "hidden trailing stop that only moves in the position's favour",
             vigil::sdk::rule<TrailingRule>())
