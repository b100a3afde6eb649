// When an instrument is stale: it trades now (its TradingHours) and no tick
// came for `stale_after_ms` of its current session. The silence counts from
// the last tick, the session's start or the host's start, whichever came
// last, so a market that just opened after the weekend, or a host that just
// started, is not stale yet.
//
// Threading: immutable after construction; any thread.
#pragma once

#include <cstdint>

#include "core/app/trading_hours.hpp"

namespace vigil::core {

class Staleness {
 public:
  // `stale_after_ms` <= 0: never stale. `started_ms`: the host's start.
  Staleness(int64_t stale_after_ms, int64_t started_ms) : stale_after_ms_(stale_after_ms), started_ms_(started_ms) {}

  // `last_tick_ms` 0: no tick yet.
  bool stale(const TradingHours& hours, int64_t last_tick_ms, int64_t now) const;

 private:
  int64_t stale_after_ms_;
  int64_t started_ms_;
};

}  // namespace vigil::core
