#include "core/app/source_failover.hpp"

#include <algorithm>

namespace vigil::core {

SourceFailover::SourceFailover(std::vector<std::string> sources, int64_t failover_after_ms)
    : sources_(std::move(sources)), last_quote_ms_(sources_.size(), 0), failover_after_ms_(failover_after_ms) {}

SourceFailover::Verdict SourceFailover::quoted(const std::string& source, int64_t now) {
  auto it = std::find(sources_.begin(), sources_.end(), source);
  if (it == sources_.end()) return {};
  size_t index = static_cast<size_t>(it - sources_.begin());
  last_quote_ms_[index] = now;
  size_t active = index;
  for (size_t i = 0; i < sources_.size(); ++i)
    if (last_quote_ms_[i] && now - last_quote_ms_[i] <= failover_after_ms_) {
      active = i;
      break;
    }
  Verdict verdict;
  verdict.use = active == index;
  if (active != active_) {
    if (active_ != kNone) verdict.switched_from = sources_[active_], verdict.switched_to = sources_[active];
    active_ = active;
  }
  return verdict;
}

std::optional<std::string> SourceFailover::active() const {
  if (active_ == kNone) return std::nullopt;
  return sources_[active_];
}

}  // namespace vigil::core
