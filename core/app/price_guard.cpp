#include "core/app/price_guard.hpp"

#include <cstdlib>

namespace vigil::core {
namespace {

constexpr double kWeight = 1.0 / 16;

}  // namespace

bool PriceGuard::is_spike(int64_t move) const {
  if (options_.spike_mode == GuardOptions::SpikeMode::off || moves_seen_ < options_.warmup_ticks) return false;
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

GuardVerdict PriceGuard::check(const ParsedTick& tick) {
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
  GuardVerdict verdict;
  if (!is_spike(mid - spike_mid)) {  // confirmed: the market really moved
    bid_ = spike.bid ? spike.bid : bid_, ask_ = spike.ask ? spike.ask : ask_;
    mid_ = spike_mid;
    verdict.release.push_back(spike);
  } else {
    ++dropped_;
    verdict.refused = "spike not confirmed by the next tick";
  }
  GuardVerdict next = check(tick);
  verdict.release.insert(verdict.release.end(), next.release.begin(), next.release.end());
  if (verdict.refused.empty()) verdict.refused = next.refused;
  verdict.held = next.held;
  return verdict;
}

}  // namespace vigil::core
