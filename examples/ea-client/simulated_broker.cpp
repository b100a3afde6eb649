#include "examples/ea-client/simulated_broker.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "examples/ea-client/decimal.hpp"

namespace vigil::ea {

// Seeded from the clock so that two runs (two EAs) do not hand out the
// same tickets.
SimulatedBroker::SimulatedBroker(BrokerOptions options) : options_(options) {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  auto ms = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
  next_ticket_ = 5'000'000'000 + (ms % 1'000'000'000) * 1000;
}

std::string SimulatedBroker::slipped(const std::string& price, bool buying) const {
  return Decimal::parse(price).plus_points(buying ? options_.slippage_points : -options_.slippage_points).str();
}

Fill SimulatedBroker::open(const std::string& side, const std::string& volume, const std::string& quote) {
  Fill fill;
  if (quote.empty()) {
    fill.error = "simulated broker has no quote for a market order";
    return fill;
  }
  Decimal requested = Decimal::parse(volume);
  // MetaTrader's volume step is 0.01 lots: split "1" as finely as that.
  for (; requested.digits < 2; ++requested.digits) requested.units *= 10;
  // Rounded down to the volume's step, but never to nothing.
  auto units = static_cast<int64_t>(std::floor(static_cast<double>(requested.units) * options_.partial_fill_ratio));
  Decimal filled{std::max<int64_t>(1, units), requested.digits};
  fill.executed = true;
  fill.price = slipped(quote, side == "buy");
  fill.volume = filled.str();
  fill.ticket = std::to_string(next_ticket_++);
  return fill;
}

Fill SimulatedBroker::close(const std::string& side, const std::string& expected_price) {
  Fill fill;
  if (expected_price.empty()) {
    fill.error = "simulated broker has no quote to close at";
    return fill;
  }
  ++closes_;
  if (options_.fail_every > 0 && closes_ % options_.fail_every == 0) {
    fill.error = "simulated requote (close " + std::to_string(closes_) + ")";
    return fill;
  }
  fill.executed = true;
  fill.price = slipped(expected_price, side != "buy");  // closing a buy sells
  return fill;
}

}  // namespace vigil::ea
