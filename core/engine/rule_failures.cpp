#include "core/engine/rule_failures.hpp"

#include "core/support/log.hpp"

namespace vigil::core {

void RuleFailureLog::failed(uint64_t pair, uint64_t key, size_t rule, const std::string& rule_name,
                            const std::string& position, const std::string& error, int64_t now_ms) {
  ++version_;
  if (rule < by_rule_.size()) ++by_rule_[rule];
  if (!window_open_ || now_ms - window_start_ >= kWindowMs) summarise(now_ms);
  ++failures_in_window_;
  auto [it, first] = failing_.try_emplace(pair, FailingRule{key, position, rule_name, 0, now_ms, error});
  ++it->second.failures;
  it->second.error = error;
  if (!first || logged_in_window_ >= kLoggedPerWindow) return;
  ++logged_in_window_;
  log(LogLevel::error, "engine",
      "rule " + rule_name + " failed on position " + position + ": " + error +
          "; its level stays unfired and is retried on every tick until the rule succeeds",
      {{"position_id", position}, {"rule", rule_name}});
}

void RuleFailureLog::succeeded(uint64_t pair, const std::string& position) {
  auto it = failing_.find(pair);
  if (it == failing_.end()) return;
  ++version_;
  log(LogLevel::info, "engine",
      "rule " + it->second.rule + " succeeded on position " + position + " after " +
          std::to_string(it->second.failures) + " failures",
      {{"position_id", position}, {"rule", it->second.rule}});
  failing_.erase(it);
}

void RuleFailureLog::forget(uint64_t pair) {
  if (failing_.erase(pair)) ++version_;
}

// Called when a window ends with a failure: says what the window held
// beyond the lines already logged, then opens a new one.
void RuleFailureLog::summarise(int64_t now_ms) {
  if (failures_in_window_ > logged_in_window_ && !failing_.empty())
    log(LogLevel::error, "engine",
        std::to_string(failures_in_window_) + " rule failures in the last minute; " + std::to_string(failing_.size()) +
            " position rules failing now (their levels unfired)");
  window_open_ = true;
  window_start_ = now_ms;
  logged_in_window_ = 0;
  failures_in_window_ = 0;
}

RuleFailures RuleFailureLog::snapshot() const {
  RuleFailures out{by_rule_, {}};
  out.failing.reserve(failing_.size());
  for (const auto& [pair, failing] : failing_) out.failing.push_back(failing);
  return out;
}

}  // namespace vigil::core
