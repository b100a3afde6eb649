#include "core/app/instrument_gate.hpp"

namespace vigil::core {

void InstrumentGate::set_sources(std::vector<std::string> sources, int64_t failover_after_ms) {
  std::lock_guard lock(mutex_);
  sources_ = SourceFailover(std::move(sources), failover_after_ms);
}

void InstrumentGate::set_staleness(TradingHours hours, bool hold_when_stale) {
  std::lock_guard lock(mutex_);
  hours_ = std::move(hours);
  guard_.set_hold_when_stale(hold_when_stale);
}

InstrumentGate::Admission InstrumentGate::admit(const std::string& source, const ParsedTick& tick, int64_t now,
                                                const Staleness& staleness) {
  Admission out;
  std::lock_guard lock(mutex_);
  if (sources_.lists_sources()) {
    SourceFailover::Verdict from = sources_.quoted(source, now);
    out.switched_from = std::move(from.switched_from);
    out.switched_to = std::move(from.switched_to);
    if (!from.use) {
      out.standby = true;
      return out;
    }
  }
  // Staleness matters to the guard only when it holds after a gap.
  out.verdict = guard_.check(tick, guard_.holds_when_stale() && stale(staleness, now));
  last_tick_ms_ = now;  // under the lock, so only one tick is the first after a gap
  return out;
}

bool InstrumentGate::stale(const Staleness& staleness, int64_t now) const {
  return staleness.stale(hours_, last_tick_ms_.load(), now);
}

std::optional<int64_t> InstrumentGate::market_price(Side side) const {
  std::lock_guard lock(mutex_);
  return side == Side::buy ? guard_.last_bid() : guard_.last_ask();
}

bool InstrumentGate::lists_sources() const {
  std::lock_guard lock(mutex_);
  return sources_.lists_sources();
}

std::optional<std::string> InstrumentGate::active_source() const {
  std::lock_guard lock(mutex_);
  return sources_.active();
}

InstrumentGate::GapCounts InstrumentGate::gap_counts() const {
  std::lock_guard lock(mutex_);
  return {guard_.gap_held(), guard_.gap_released(), guard_.gap_dropped()};
}

}  // namespace vigil::core
