// Whether the store can commit now, as the last commits found it: written
// by the StorePort where every apply happens, read by /healthz. Reading it
// costs one short lock and never touches the database, so a health check
// stays cheap however often a load balancer asks, and says what the
// workflow itself is living through (not what a probe of its own saw).
//
// Only VIGIL_UNAVAILABLE counts against the store: a conflict or a refused
// value is the request's fault, and the store that said so is serving.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "core/support/clock.hpp"
#include "vigil/abi.h"

namespace vigil::core {

struct StoreHealthView {
  bool ok = true;
  int64_t failing_since_ms = 0;  // first failure of the current outage, 0 when ok
  int64_t last_ok_ms = 0;        // last commit that succeeded, 0 for none yet
  uint64_t failures = 0;         // failed commits in the current outage
  std::string last_error;        // the store's message (may name hosts or files: admin only)
};

class StoreHealth {
 public:
  // `clock` (the host's) times the commits and outages /healthz shows.
  StoreHealth(std::string store_name, const Clock& clock) : store_name_(std::move(store_name)), clock_(clock) {}

  void committed();
  // A failure of a commit or a read; counts only when `status` says the
  // store cannot serve now.
  void failed(vigil_status status, const std::string& message);

  bool ok() const;
  StoreHealthView view() const;
  const std::string& store_name() const noexcept { return store_name_; }

 private:
  const std::string store_name_;
  const Clock& clock_;
  mutable std::mutex mutex_;
  StoreHealthView view_;
};

}  // namespace vigil::core
