// A Clock the test moves by hand. Thread-safe: engine shards and the
// maintenance thread read it while the test sets it.
#pragma once

#include <atomic>
#include <cstdint>

#include "core/support/clock.hpp"

namespace vigil::test {

class ManualClock final : public core::Clock {
 public:
  explicit ManualClock(int64_t now_ms) : now_(now_ms) {}
  int64_t now_ms() const override { return now_.load(); }
  void set(int64_t now_ms) { now_ = now_ms; }
  void advance(int64_t ms) { now_ += ms; }

 private:
  std::atomic<int64_t> now_;
};

// Monday 2026-01-05 12:00:00 UTC: inside weekday trading hours.
constexpr int64_t kMondayNoon = 1767614400000;

}  // namespace vigil::test
