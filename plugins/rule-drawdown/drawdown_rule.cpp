// rule-drawdown: a per-client guard. When the floating loss of all of a
// client's positions together reaches a configured amount (or a percentage
// of a configured balance), it closes all of them, or only the one losing
// most. Reason "drawdown".
//
// No scan: each position declares a band of two levels, one resolution
// step either side of the price it was last counted at. Only a position
// whose price left its band is called back; it recounts the client's
// positions on its instrument at the tick's quote (so a hedge nets out
// within the tick), moves its band, and, if the client's total has reached
// the limit, closes itself and asks the host to close the client's other
// positions (close_other, ABI 1.1), on whichever shard they are. A tick
// therefore costs the clients whose positions moved a step, never all
// positions.
//
// Positions are grouped by the view's `group` (the client in vigild, the
// positions file's client_id in vigil replay); a position without a group
// is left alone. Losses are counted in account money: points x lots x
// point_value, so give each signal the point value of its instrument.
#include <string>

#include "drawdown_book.hpp"
#include "drawdown_params.hpp"
#include "params_cache.hpp"
#include "vigil/sdk.hpp"

namespace {

using vigil::drawdown::DrawdownParams;
using vigil::sdk::Cross;

enum Level : uint32_t { kBelow = 1, kAbove = 2 };

class DrawdownRule final : public vigil::sdk::Rule {
 public:
  explicit DrawdownRule(const vigil::sdk::CreateArgs& args) : defaults_(args.options_json) {
    vigil::drawdown::read_params(defaults_, "", 5);  // refuse bad options at start
  }

  void attach(const vigil::sdk::Position& p, const vigil::sdk::Actions& a) override {
    DrawdownParams params = read(p);
    if (!params.max_loss || p.group.empty()) return;
    double lots = static_cast<double>(p.volume) / VIGIL_VOLUME_SCALE;
    book_.add(std::string(p.group), std::string(p.id),
              {std::string(p.instrument), p.is_buy(), p.entry_price, lots * params.point_value, 0.0});
    declare_band(params, p.entry_price, a);
  }

  void on_trigger(const vigil::sdk::Position& p, const vigil::sdk::Trigger& t, const vigil::sdk::Actions& a) override {
    DrawdownParams params = read(p);
    if (!params.max_loss || p.group.empty() || t.is_deadline) return;
    const std::string id(p.id);
    auto closing = book_.revalue(std::string(p.group), std::string(p.instrument), t.bid, t.ask, *params.max_loss,
                                 params.close_all);
    declare_band(params, t.price, a);
    for (const std::string& other : closing) {
      if (other == id)
        a.close("drawdown", t.price, t.price);
      else
        a.close_other(other, "drawdown");
    }
  }

  void detach(const vigil::sdk::Position& p) override {
    if (!p.group.empty()) book_.remove(std::string(p.group), std::string(p.id));
  }

 private:
  DrawdownParams read(const vigil::sdk::Position& p) const {
    return params_.get(p.params_json, p.digits, [this](const std::string& text, int digits) {
      return vigil::drawdown::read_params(defaults_, text, digits);
    });
  }

  static void declare_band(const DrawdownParams& params, int64_t price, const vigil::sdk::Actions& a) {
    a.set_level(kBelow, Cross::at_or_below, price - params.resolution);
    a.set_level(kAbove, Cross::at_or_above, price + params.resolution);
  }

  std::string defaults_;
  vigil::params::ParamsCache<DrawdownParams> params_;
  vigil::drawdown::DrawdownBook book_;
};

}  // namespace

VIGIL_PLUGIN("rule-drawdown", "1.0.0", "closes a client's positions when their floating loss reaches a limit",
             vigil::sdk::rule<DrawdownRule>())
