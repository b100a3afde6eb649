// The host's wall clock, in unix milliseconds: one interface so that every
// reader of the time of day (engine deadlines, staleness, health, the
// workflow, the clock plugins get through vigil_host) can be driven by a
// test instead of the machine.
//
// Monotonic time used only to pace or bound waits (sleeps, spins,
// condition-variable timeouts) is not read through a Clock: it says how
// long the host waits, not what time it is, and a test that stops the
// clock must not stop the threads that check it.
//
// Threading: now_ms() may be called from any thread at any time.
// Ownership: whoever creates a Clock keeps it alive for every component it
// was given to; wall_clock() lives for the whole process.
#pragma once

#include <cstdint>

namespace vigil::core {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t now_ms() const = 0;
};

// The machine's clock (std::chrono::system_clock).
class SystemClock final : public Clock {
 public:
  int64_t now_ms() const override;
};

// One SystemClock for the process: the default of hosts and tools that have
// no reason to drive time.
const Clock& wall_clock();

}  // namespace vigil::core
