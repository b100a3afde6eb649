// Vigil C++ SDK — feeds. See feed.h for the model. Derive from Feed, keep
// the `host` of the CreateArgs your constructor receives, and publish from
// run() with that Host's publish_tick(Tick, why) (host.hpp): VIGIL_OK, or
// the host's refusal with its reason in `why`. Wait on a StopSignal
// (stop_signal.hpp) rather than sleeping, so stop() takes effect at once.
// Register with VIGIL_PLUGIN(..., vigil::sdk::feed<YourFeed>()).
#pragma once

#include <cstdint>
#include <string>

#include "vigil/cpp/host.hpp"
#include "vigil/feed.h"

namespace vigil::sdk {

struct FeedHealth {
  bool connected = false;
  int64_t last_tick_unix_ms = 0;
  uint64_t ticks_published = 0;
  uint64_t rows_skipped = 0;
  uint64_t reconnects = 0;
  // Why the feed is failing now, empty while it is well: the host shows it
  // in /healthz (degraded) and /metrics and logs each change. An exception
  // thrown by health() is reported here too, with its message.
  std::string error;
};

class Feed {
 public:
  virtual ~Feed() = default;
  // Runs until the data ends or stop() is called; throw to report a fatal
  // error (say where: file and line, host and port).
  virtual void run() = 0;
  // Thread-safe; makes run() return soon.
  virtual void stop() noexcept = 0;
  // Thread-safe; called from the transport's threads while run() goes on.
  virtual FeedHealth health() const = 0;
};

}  // namespace vigil::sdk
