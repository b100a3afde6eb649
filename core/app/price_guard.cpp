#include "core/app/price_guard.hpp"

#include <cstdlib>

namespace vigil::core {
namespace {

constexpr double kWeight = 1.0 / 16;

}  // namespace

bool PriceGuard::is_spike(int64_t move) const {
  return options_.spike_mode != GuardOptions::SpikeMode::off && is_far(move);
}

// Far more than the typical move; never before the warm-up has seen enough.
bool PriceGuard::is_far(int64_t move) const {
  if (moves_seen_ < options_.warmup_ticks) return false;
  double typical = typical_move_ < 1 ? 1 : typical_move_;
  return static_cast<double>(std::llabs(move)) > options_.spike_factor * typical;
}

void PriceGuard::learn(int64_t mid) {
  if (mid_) {
    double move = static_cast<double>(std::llabs(mid - *mid_));
    typical_move_ = moves_seen_ == 0 ? move : typical_move_ + kWeight * (move - typical_move_);
    ++moves_seen_;
  }
  mid_ = mid;
}

GuardVerdict PriceGuard::check(const ParsedTick& tick, bool after_gap) {
  if (!options_.hold_when_stale) return check_quote(tick);
  if (after_gap) {
    if (gap_held_) ++gap_dropped_;  // a second gap before the first tick was confirmed
    gap_held_.reset();
    if (held_) ++dropped_;  // a spike held from before the gap is no longer news
    held_.reset();
    held_mid_.reset();
    awaiting_gap_tick_ = true;
  }
  if (awaiting_gap_tick_ || gap_held_) return judge_after_gap(tick);
  return check_quote(tick);
}

GuardVerdict PriceGuard::check_quote(const ParsedTick& tick) {
  std::optional<int64_t> bid = tick.bid ? tick.bid : bid_, ask = tick.ask ? tick.ask : ask_;
  if (bid && ask && *bid > *ask) return {{}, "crossed quote: bid above ask", false};
  if (held_) return judge_held(tick);
  if (!bid || !ask) {  // not a full quote yet: nothing to compare, pass it on
    bid_ = bid, ask_ = ask;
    return {{tick}, "", false};
  }
  int64_t mid = (*bid + *ask) / 2;
  if (mid_ && is_spike(mid - *mid_)) {
    ++spikes_;
    if (options_.spike_mode == GuardOptions::SpikeMode::reject) {
      ++dropped_;
      return {{}, "spike: a move of " + std::to_string(std::llabs(mid - *mid_)) + " points", false};
    }
    held_ = tick;
    held_mid_ = mid;
    return {{}, "", true};
  }
  bid_ = bid, ask_ = ask;
  learn(mid);
  return {{tick}, "", false};
}

// The tick after a spike confirms it when it stays near the spike's price;
// otherwise the spike was a bad print and is dropped.
GuardVerdict PriceGuard::judge_held(const ParsedTick& tick) {
  ParsedTick spike = *held_;
  int64_t spike_mid = *held_mid_;
  held_.reset();
  held_mid_.reset();
  std::optional<int64_t> bid = tick.bid ? tick.bid : spike.bid ? spike.bid : bid_;
  std::optional<int64_t> ask = tick.ask ? tick.ask : spike.ask ? spike.ask : ask_;
  int64_t mid = (*bid + *ask) / 2;
  if (!is_spike(mid - spike_mid)) {  // confirmed: the market really moved
    bid_ = spike.bid ? spike.bid : bid_, ask_ = spike.ask ? spike.ask : ask_;
    mid_ = spike_mid;
    return release_then_check({spike}, "", tick);
  }
  ++dropped_;
  return release_then_check({}, "spike not confirmed by the next tick", tick);
}

GuardVerdict PriceGuard::release_then_check(std::vector<ParsedTick> released, std::string refused,
                                            const ParsedTick& tick) {
  GuardVerdict next = check_quote(tick);
  released.insert(released.end(), next.release.begin(), next.release.end());
  return {std::move(released), refused.empty() ? next.refused : std::move(refused), next.held};
}

// The first tick after a gap is held; the next one confirms it when the two
// are not far apart (spike_factor times the typical move, whatever the
// spike mode), and both go on. Unconfirmed, the held tick is
// dropped and the new one waits for its own confirmation, so the engine
// sees prices again only once two consecutive ticks agree.
GuardVerdict PriceGuard::judge_after_gap(const ParsedTick& tick) {
  std::optional<int64_t> bid = tick.bid ? tick.bid : gap_held_ ? gap_bid_ : bid_;
  std::optional<int64_t> ask = tick.ask ? tick.ask : gap_held_ ? gap_ask_ : ask_;
  if (bid && ask && *bid > *ask) return {{}, "crossed quote: bid above ask", false};
  GuardVerdict verdict;
  if (gap_held_) {
    bool comparable = bid && ask && gap_bid_ && gap_ask_;
    if (!comparable || !is_far((*bid + *ask) / 2 - (*gap_bid_ + *gap_ask_) / 2)) {
      ++gap_released_;
      bid_ = gap_bid_, ask_ = gap_ask_;  // the new baseline; the move across the gap is not a typical move
      if (bid_ && ask_) mid_ = (*bid_ + *ask_) / 2;
      ParsedTick confirmed = *gap_held_;
      gap_held_.reset();
      return release_then_check({confirmed}, "", tick);
    }
    ++gap_dropped_;
    verdict.refused = "first tick after a gap not confirmed by the next one";
  }
  awaiting_gap_tick_ = false;
  gap_held_ = tick;
  gap_bid_ = bid, gap_ask_ = ask;
  ++gap_held_count_;
  verdict.held = true;
  return verdict;
}

}  // namespace vigil::core
