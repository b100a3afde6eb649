// A broker that exists only in this process, so an EA loop can run end to
// end without MetaTrader: it fills entries and closes at the price the
// server expects moved by a fixed slippage against the trader, fills a fixed
// fraction of each entry, and fails every Nth close (the server must then
// issue a retry).
//
// Threading: not thread-safe; one EA loop owns one broker.
#pragma once

#include <cstdint>
#include <string>

namespace vigil::ea {

struct BrokerOptions {
  int64_t slippage_points = 0;    // against the trader, in units of the price's last digit
  double partial_fill_ratio = 1;  // (0, 1]: share of the requested volume filled
  int fail_every = 0;             // every Nth close fails; 0 never
};

struct Fill {
  bool executed = false;
  std::string price;   // as a decimal string with the quote's digits
  std::string volume;  // filled volume
  std::string ticket;  // the broker's 64-bit ticket, as a string
  std::string error;   // why it was not executed
};

class SimulatedBroker {
 public:
  explicit SimulatedBroker(BrokerOptions options);

  // An entry of `volume` on `side` ("buy"/"sell") at about `quote`. An
  // empty quote (a market order without a price) is rejected: this broker
  // has no market data.
  Fill open(const std::string& side, const std::string& volume, const std::string& quote);
  // Closing a position of `side` at about `expected_price`; refused when
  // that is empty. Only closes with a price count towards `fail_every`.
  Fill close(const std::string& side, const std::string& expected_price);

 private:
  // Slippage against the trader: buying fills higher, selling lower.
  std::string slipped(const std::string& price, bool buying) const;
  BrokerOptions options_;
  uint64_t next_ticket_;  // above 2^32, as MetaTrader tickets are
  int64_t closes_ = 0;
};

}  // namespace vigil::ea
