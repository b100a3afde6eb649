#include "core/app/tick_intake.hpp"

#include <string>

#include "vigil/cpp/decimal.hpp"
#include "vigil/cpp/error.hpp"

namespace vigil::core {

int64_t parse_price(const Instruments& instruments, InstrumentId instrument, std::string_view text,
                    std::string_view field) {
  const Instrument& i = instruments.get(instrument);
  sdk::ParsedDecimal parsed = sdk::parse_decimal(text, i.digits);
  if (parsed.ok() && parsed.value > 0) return parsed.value;
  // The message is built only for a refusal: on every tick it was two heap
  // allocations, the largest cost of parsing.
  std::string quoted = "field '" + std::string(field) + "': '" + std::string(text) + "' ";
  if (parsed.error == sdk::DecimalError::too_many_decimals)
    throw TickRejected(quoted + "has more decimals than the " + std::to_string(i.digits) + " digits of " + i.symbol);
  if (!parsed.ok()) throw TickRejected(quoted + sdk::describe(*parsed.error));
  throw TickRejected(quoted + "is not a positive price");
}

ParsedTick parse_tick(const Instruments& instruments, const vigil_tick& tick) {
  std::string_view symbol = sdk::view(tick.instrument);
  auto instrument = instruments.find(symbol);
  if (!instrument)
    throw TickRejected("field 'instrument': unknown instrument '" + std::string(symbol) +
                       "' (add it to the config's instruments)");
  ParsedTick out;
  out.instrument = *instrument;
  out.time_unix_ms = tick.time_unix_ms;
  out.sequence = tick.sequence;
  if (tick.bid.size) out.bid = parse_price(instruments, *instrument, sdk::view(tick.bid), "bid");
  if (tick.ask.size) out.ask = parse_price(instruments, *instrument, sdk::view(tick.ask), "ask");
  return out;
}

}  // namespace vigil::core
