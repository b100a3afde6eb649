// One instrument's way into the engine: which feed its prices come from
// (SourceFailover), the price guard they pass (PriceGuard), when it trades
// and when its last tick came (for Staleness).
//
// Threading: several feeds may quote one instrument, so admit() and the
// readers take the gate's lock; last_tick_ms() reads an atomic. The
// set_* calls configure it before feeds start (the trading hours are read
// without the lock afterwards).
// Errors: none; a tick refused by the guard says why in its verdict.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/app/price_guard.hpp"
#include "core/app/source_failover.hpp"
#include "core/app/staleness.hpp"
#include "core/app/trading_hours.hpp"
#include "core/domain/side.hpp"

namespace vigil::core {

class InstrumentGate {
 public:
  explicit InstrumentGate(const GuardOptions& options) : guard_(options) {}

  void set_sources(std::vector<std::string> sources, int64_t failover_after_ms);
  // Without it the instrument always trades and nothing is held after a gap.
  void set_staleness(TradingHours hours, bool hold_when_stale);

  struct Admission {
    bool standby = false;  // from a standby source: fine, just not used
    GuardVerdict verdict;  // what goes on to the engine
    // Set when this tick changed the active source (SourceFailover).
    std::string switched_from, switched_to;
  };
  // One tick from feed `source` at `now`.
  Admission admit(const std::string& source, const ParsedTick& tick, int64_t now, const Staleness& staleness);

  bool stale(const Staleness& staleness, int64_t now) const;
  int64_t last_tick_ms() const noexcept { return last_tick_ms_.load(); }
  // The last price handed to the engine that a position of `side` closes at.
  std::optional<int64_t> market_price(Side side) const;
  bool lists_sources() const;
  std::optional<std::string> active_source() const;

  struct GapCounts {
    uint64_t held = 0, released = 0, dropped = 0;
  };
  GapCounts gap_counts() const;

 private:
  mutable std::mutex mutex_;
  PriceGuard guard_;
  SourceFailover sources_;
  TradingHours hours_;
  std::atomic<int64_t> last_tick_ms_{0};
};

}  // namespace vigil::core
