// Guards between the feeds and the engine, so positions are never closed on
// bad prices: crossed quotes are refused, and a tick that jumps far more
// than the instrument's recent typical move (a spike) is held until the
// next tick confirms it, or dropped.
//
// The typical move is an exponentially weighted mean of the absolute mid
// moves (weight 1/16), so the check is O(1) per tick and needs no history.
// Staleness (no tick for a while) is judged by the caller, who knows the
// clock and the trading hours; with hold_when_stale it tells the guard that
// a tick came after such a gap, and the guard holds that tick until the next
// one confirms it: after a gap the first quote is often a cached or
// replayed one, and no position should close on it.
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
  double spike_factor = 20;      // a move this many times the typical move is a spike
  uint32_t warmup_ticks = 50;    // no spike judgement before this many moves are seen
  int64_t stale_after_ms = 0;    // 0: never stale
  bool hold_when_stale = false;  // hold the first tick after a gap until the next confirms it
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

  // `after_gap`: the instrument was stale when this tick came.
  GuardVerdict check(const ParsedTick& tick, bool after_gap = false);
  void set_hold_when_stale(bool on) noexcept { options_.hold_when_stale = on; }
  bool holds_when_stale() const noexcept { return options_.hold_when_stale; }
  uint64_t spikes_seen() const noexcept { return spikes_; }
  // The last quote handed to the engine (absent until one was).
  std::optional<int64_t> last_bid() const noexcept { return bid_; }
  std::optional<int64_t> last_ask() const noexcept { return ask_; }
  uint64_t spikes_dropped() const noexcept { return dropped_; }
  // Ticks held after a gap, then released with their confirmation, or dropped.
  uint64_t gap_held() const noexcept { return gap_held_count_; }
  uint64_t gap_released() const noexcept { return gap_released_; }
  uint64_t gap_dropped() const noexcept { return gap_dropped_; }

 private:
  bool is_spike(int64_t move) const;
  bool is_far(int64_t move) const;
  void learn(int64_t mid);
  GuardVerdict judge_held(const ParsedTick& tick);
  GuardVerdict check_quote(const ParsedTick& tick);
  GuardVerdict judge_after_gap(const ParsedTick& tick);
  // `released` goes on, then whatever check_quote makes of `tick`.
  GuardVerdict release_then_check(std::vector<ParsedTick> released, std::string refused, const ParsedTick& tick);

  GuardOptions options_;
  std::optional<int64_t> bid_, ask_;  // the last accepted quote
  std::optional<int64_t> mid_;
  double typical_move_ = 0;
  uint32_t moves_seen_ = 0;
  std::optional<ParsedTick> held_;
  std::optional<int64_t> held_mid_;
  uint64_t spikes_ = 0, dropped_ = 0;
  // After a gap: waiting for its first tick, then holding it (with its
  // full quote, sides filled in from before the gap).
  bool awaiting_gap_tick_ = false;
  std::optional<ParsedTick> gap_held_;
  std::optional<int64_t> gap_bid_, gap_ask_;
  uint64_t gap_held_count_ = 0, gap_released_ = 0, gap_dropped_ = 0;
};

}  // namespace vigil::core
