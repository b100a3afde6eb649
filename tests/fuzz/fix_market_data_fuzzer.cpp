// libFuzzer target: a FIX 4.4 market-data message from the wire to ticks,
// as feed-fix handles it: QuickFIX parses the text with the feed's
// dictionary (plugins/feed-fix/market_data.cpp), the feed reads the 35=W /
// 35=X into quotes, their times are read (fix_time.hpp) and each quote goes
// through the host's tick intake.
//
// The input's first byte chooses: odd, one symbol subscribed (entries may
// leave Symbol out); bit 1 set, the rest is the whole message as sent;
// clear, the rest is the body (35=... up to the checksum) and the fuzzer
// frames it with 8=, 9= and a correct 10= so QuickFIX's length and checksum
// checks do not stop most inputs.
#include <cstdio>
#include <map>

#include "core/app/tick_intake.hpp"
#include "plugins/feed-fix/fix_time.hpp"
#include "plugins/feed-fix/market_data.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace {

std::string framed(std::string_view body) {
  std::string out =
      "8=FIX.4.4\x01"
      "9=" +
      std::to_string(body.size()) + "\x01" + std::string(body);
  unsigned sum = 0;
  for (char c : out) sum += static_cast<unsigned char>(c);
  char checksum[8];
  std::snprintf(checksum, sizeof checksum, "%03u", sum % 256);
  return out + "10=" + checksum + "\x01";
}

// The quote as the feed publishes it: the entry's own time, else the
// message's SendingTime (else the host's clock, here a fixed one).
void publish(const vigil::fixfeed::MarketData& data, const vigil::fixfeed::Quote& quote) {
  static const vigil::core::Instruments instruments = [] {
    vigil::core::Instruments out;
    out.add("EURUSD", 5);
    out.add("XAUUSD", 3);
    return out;
  }();
  static const std::map<std::string, std::string> kInstruments = {{"EUR/USD", "EURUSD"}, {"XAU/USD", "XAUUSD"}};
  auto instrument = kInstruments.find(quote.symbol);
  if (instrument == kInstruments.end()) return;  // not asked for: skipped by the feed
  std::optional<int64_t> time;
  if (!quote.entry_date.empty()) {
    auto day = vigil::fixfeed::parse_fix_date(quote.entry_date);
    auto of_day = vigil::fixfeed::parse_fix_time_of_day(quote.entry_time);
    if (day && of_day) time = *day + *of_day;
  }
  if (!time) time = vigil::fixfeed::parse_fix_timestamp(data.sending_time);
  const std::string& symbol = instrument->second;
  vigil_tick tick{sizeof(vigil_tick),
                  {symbol.data(), symbol.size()},
                  {quote.bid.data(), quote.bid.size()},
                  {quote.offer.data(), quote.offer.size()},
                  time.value_or(1704067200000),
                  data.seq_num};
  try {
    vigil::core::parse_tick(instruments, tick);
  } catch (const vigil::core::TickRejected&) {
    // Skipped and counted by the feed, naming the field.
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const std::vector<std::string> kOne = {"EUR/USD"}, kTwo = {"EUR/USD", "XAU/USD"};
  std::string_view rest = vigil::fuzz::text(data + 1, size - 1);
  std::string raw = data[0] & 2 ? std::string(rest) : framed(rest);
  vigil::fixfeed::MarketData market;
  std::string why;
  if (!vigil::fixfeed::parse_market_data(raw, data[0] & 1 ? kOne : kTwo, market, why)) {
    if (why.empty()) std::abort();
    return 0;
  }
  for (const vigil::fixfeed::Quote& quote : market.quotes) {
    if (quote.symbol.empty() || (quote.bid.empty() && quote.offer.empty())) std::abort();
    publish(market, quote);
  }
  return 0;
}
