// Rule parameters parsed once per distinct text. A trending market calls a
// rule back for many positions per tick (every trailing stop on a new
// high, every drawdown band crossed), and parsing their JSON on each call
// would be most of the callback's cost; positions of one signal share one
// text. Thread-safe: the engine's shards call a rule instance concurrently.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace vigil::params {

template <class Params>
class ParamsCache {
 public:
  // The parameters for `text` at `digits`, from `parse(text, digits)` the
  // first time (its exceptions propagate, and nothing is kept).
  template <class Parse>
  Params get(std::string_view text, int digits, Parse&& parse) const {
    std::string key = std::to_string(digits) + ':' + std::string(text);
    std::lock_guard lock(mutex_);
    if (auto hit = cache_.find(key); hit != cache_.end()) return hit->second;
    Params params = parse(std::string(text), digits);
    if (cache_.size() >= kMaxCached) cache_.clear();  // per-position parameters: keep it bounded
    cache_.emplace(std::move(key), params);
    return params;
  }

 private:
  static constexpr size_t kMaxCached = 4096;
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, Params> cache_;
};

}  // namespace vigil::params
