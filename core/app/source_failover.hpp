// Which feed an instrument's prices come from when several quote it: the
// sources are listed primary first, and a tick counts only from the first
// source that quoted the instrument in the last `failover_after_ms`. The
// others stand by, so a primary that comes back takes over again at its
// first tick.
//
// Threading: not thread-safe; the caller serialises per instrument.
// Errors: none; a source not in the list is never used.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigil::core {

class SourceFailover {
 public:
  // No sources listed: every feed's ticks count.
  SourceFailover() = default;
  SourceFailover(std::vector<std::string> sources, int64_t failover_after_ms);

  // What became of one tick from `source` at `now`.
  struct Verdict {
    bool use = false;  // it comes from the active source
    // When this tick changed the active source (not for the first one):
    // the source active before and the one active now.
    std::string switched_from, switched_to;
  };
  // Records that `source` quoted the instrument at `now`.
  Verdict quoted(const std::string& source, int64_t now);

  bool lists_sources() const noexcept { return !sources_.empty(); }
  // The source prices come from now; absent before the first tick.
  std::optional<std::string> active() const;

 private:
  std::vector<std::string> sources_;
  std::vector<int64_t> last_quote_ms_;  // per source, 0 = never
  int64_t failover_after_ms_ = 0;
  static constexpr size_t kNone = SIZE_MAX;
  size_t active_ = kNone;
};

}  // namespace vigil::core
