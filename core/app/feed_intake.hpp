// Where every tick enters the host: through a feed's vigil_app table, or
// pushed by an operator (admin.push_tick). A tick is parsed (tick_intake),
// kept only if it comes from its instrument's active source, passes the
// price guard (InstrumentGate), and what the guard releases goes to the
// engine through `to_engine`. Counts what it accepted, refused and left on
// standby, for the metrics.
//
// Ownership: owns its ports and gates; `instruments` and `clock` must
// outlive it, and so must what `to_engine` reaches.
// Threading: publish() and the readers are thread-safe (feeds publish from
// their own threads, transports push and read health). The set_* calls
// configure instruments before feeds start; port() is called from one
// thread at a time, also while other feeds publish (a reload).
// Errors: publish() answers VIGIL_INVALID_ARGUMENT naming the field for a
// malformed tick or an unknown instrument, VIGIL_INTERNAL for anything
// else; a tick refused by a guard is logged and answered VIGIL_OK (the feed
// did nothing wrong).
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/app/instrument_gate.hpp"
#include "core/app/staleness.hpp"
#include "core/app/tick_intake.hpp"
#include "core/support/clock.hpp"
#include "core/support/metrics.hpp"
#include "vigil/app.h"

namespace vigil::core {

class FeedIntake {
 public:
  using ToEngine = std::function<void(const ParsedTick&)>;

  FeedIntake(const Instruments& instruments, const GuardOptions& guards, const Clock& clock, ToEngine to_engine);
  ~FeedIntake();

  // The table a feed named `name` publishes through; `source` is the name
  // instruments' source lists use for it. Its name tags the feed's log
  // lines. Valid while this lives.
  const vigil_app* port(const std::string& name, const std::string& source);
  // A price pushed by an operator: the same path as a feed's tick, from the
  // source "push".
  vigil_status push(const vigil_tick& tick, vigil_error* error);

  // Primary and fallbacks for one instrument (SourceFailover).
  void set_sources(InstrumentId instrument, std::vector<std::string> sources, int64_t failover_after_ms);
  // When it trades, and whether the first tick after a stale gap waits for
  // the next to confirm it.
  void set_staleness(InstrumentId instrument, TradingHours hours, bool hold_when_stale);

  std::optional<int64_t> market_price(InstrumentId instrument, Side side) const;
  // Symbols of the instruments stale now.
  std::vector<std::string> stale_instruments() const;
  // Per instrument that lists sources, by symbol: the active one (absent
  // before its first tick).
  std::map<std::string, std::optional<std::string>> active_sources() const;
  // By symbol: when its last tick came (unix ms); 0 before the first.
  std::map<std::string, int64_t> last_tick_times() const;
  // Sets the tick counters and per-instrument tick ages.
  void export_metrics(Metrics& metrics) const;

 private:
  struct Port;
  vigil_status publish(const Port& port, const vigil_tick& tick, vigil_error* error);
  void admit(const Port& port, const ParsedTick& tick);

  const Instruments& instruments_;
  const Clock& clock_;
  ToEngine to_engine_;
  Staleness staleness_;
  std::vector<std::unique_ptr<InstrumentGate>> gates_;  // by InstrumentId
  std::vector<std::unique_ptr<Port>> ports_;
  Port* push_port_ = nullptr;
  std::atomic<uint64_t> accepted_{0}, rejected_{0}, guarded_{0}, standby_{0};
};

}  // namespace vigil::core
