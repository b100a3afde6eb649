// Guards between the feeds and the engine, so positions are never closed on
// bad prices: crossed quotes are refused, and a tick that jumps far more
// than the instrument's recent typical move (a spike) is held until the
// next tick confirms it, or dropped.
//
// The typical move is an exponentially weighted mean of the absolute mid
// moves (weight 1/16), so the check is O(1) per tick and needs no history.
// Staleness (no tick for a while) is judged from `last_tick_ns`, by whoever
// reports health.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/app/tick_intake.hpp"

namespace vigil::core {

struct GuardOptions {
  enum class SpikeMode { off, hold, reject };
  SpikeMode spike_mode = SpikeMode::hold;
  double spike_factor = 20;    // a move this many times the typical move is a spike
  uint32_t warmup_ticks = 50;  // no spike judgement before this many moves are seen
  int64_t stale_after_ms = 0;  // 0: never stale
};

// What the guard decided for one tick.
struct GuardVerdict {
  std::vector<ParsedTick> release;  // ticks to hand to the engine, in order
  std::string refused;              // why the tick (or a held one) was dropped, empty if none
  bool held = false;                // the tick is held for confirmation
};

// One instrument's guard. Not thread-safe: the caller serialises per instrument.
class PriceGuard {
 public:
  explicit PriceGuard(const GuardOptions& options) : options_(options) {}

  GuardVerdict check(const ParsedTick& tick);
  uint64_t spikes_seen() const noexcept { return spikes_; }
  uint64_t spikes_dropped() const noexcept { return dropped_; }

 private:
  bool is_spike(int64_t move) const;
  void learn(int64_t mid);
  GuardVerdict judge_held(const ParsedTick& tick);

  GuardOptions options_;
  std::optional<int64_t> bid_, ask_;  // the last accepted quote
  std::optional<int64_t> mid_;
  double typical_move_ = 0;
  uint32_t moves_seen_ = 0;
  std::optional<ParsedTick> held_;
  std::optional<int64_t> held_mid_;
  uint64_t spikes_ = 0, dropped_ = 0;
};

}  // namespace vigil::core
