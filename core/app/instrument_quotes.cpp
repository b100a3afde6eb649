#include "core/app/instrument_quotes.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "vigil/cpp/decimal.hpp"

namespace vigil::core {

std::string instrument_quotes_json(const Instruments& instruments, const FeedIntake& intake, int64_t now_ms) {
  using nlohmann::json;
  std::vector<std::string> stale = intake.stale_instruments();
  std::map<std::string, std::optional<std::string>> sources = intake.active_sources();
  std::map<std::string, int64_t> last_ticks = intake.last_tick_times();
  json items = json::array();
  for (size_t i = 0; i < instruments.size(); ++i) {
    const Instrument& instrument = instruments.get(static_cast<InstrumentId>(i));
    auto price = [&](Side side) {
      std::optional<int64_t> p = intake.market_price(static_cast<InstrumentId>(i), side);
      return p ? json(sdk::format_decimal(*p, instrument.digits)) : json();
    };
    int64_t last = last_ticks[instrument.symbol];
    auto source = sources.find(instrument.symbol);
    items.push_back({{"instrument", instrument.symbol},
                     {"digits", instrument.digits},
                     {"bid", price(Side::buy)},  // a BUY closes at the bid
                     {"ask", price(Side::sell)},
                     {"last_tick_at", last ? json(last) : json()},
                     {"tick_age_ms", last ? json(std::max<int64_t>(0, now_ms - last)) : json()},
                     {"active_source", source != sources.end() && source->second ? json(*source->second) : json()},
                     {"stale", std::find(stale.begin(), stale.end(), instrument.symbol) != stale.end()}});
  }
  return json{{"items", std::move(items)}, {"next_cursor", nullptr}}.dump();
}

}  // namespace vigil::core
