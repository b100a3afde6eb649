// Vigil C++ SDK — feeds. See feed.h for the model. Publish with
// host().publish_tick(...) from run().
#pragma once

#include <cstdint>

#include "vigil/cpp/host.hpp"
#include "vigil/feed.h"

namespace vigil::sdk {

struct FeedHealth {
  bool connected = false;
  int64_t last_tick_unix_ms = 0;
  uint64_t ticks_published = 0;
  uint64_t rows_skipped = 0;
  uint64_t reconnects = 0;
};

class Feed {
 public:
  virtual ~Feed() = default;
  // Runs until the data ends or stop() is called; throw to report a fatal
  // error (say where: file and line, host and port).
  virtual void run() = 0;
  // Thread-safe; makes run() return soon.
  virtual void stop() noexcept = 0;
  // Thread-safe.
  virtual FeedHealth health() const = 0;
};

}  // namespace vigil::sdk
