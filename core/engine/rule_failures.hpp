// Rule callbacks that fail, kept visible. A crossed level whose rule fails
// is not dropped: it fires again on the next tick, so a rule that keeps
// failing leaves its position's level unfired: the worst silent outcome a
// user of Vigil can have. This keeps count of the failures by rule, knows
// which (position, rule) pairs are failing now, and logs without flooding:
// the first failure of each pair (at most kLoggedPerWindow a minute, the
// rest counted), its recovery, and once a minute a summary while failures
// go on. Times are the engine's (tick times), so a replay logs as a live
// run would.
//
// Threading: as the engine that owns it (one thread).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace vigil::core {

// A position's rule that failed on its last call.
struct FailingRule {
  uint64_t key = 0;           // the position's key (the engine's caller's)
  std::string position;       // its name (PositionNames), as the logs show it
  std::string rule;           // the rule's name
  uint64_t failures = 0;      // consecutive failures
  int64_t since_unix_ms = 0;  // engine time of the first of them
  std::string error;          // the last one's message
};

struct RuleFailures {
  std::vector<uint64_t> by_rule;     // failures since start, by rule (the engine's order)
  std::vector<FailingRule> failing;  // the pairs failing now
};

class RuleFailureLog {
 public:
  static constexpr int64_t kWindowMs = 60'000;
  static constexpr uint32_t kLoggedPerWindow = 10;

  explicit RuleFailureLog(size_t rules) : by_rule_(rules, 0) {}

  // `pair` identifies (position, rule) for the engine; `rule` indexes by_rule.
  void failed(uint64_t pair, uint64_t key, size_t rule, const std::string& rule_name, const std::string& position,
              const std::string& error, int64_t now_ms);
  void succeeded(uint64_t pair, const std::string& position);
  // The position is gone: its failures end with it (not a recovery).
  void forget(uint64_t pair);

  bool any_failing() const noexcept { return !failing_.empty(); }
  bool failing(uint64_t pair) const { return failing_.count(pair) != 0; }
  // Moves on with every change, so a reader copies only when it moved.
  uint64_t version() const noexcept { return version_; }
  RuleFailures snapshot() const;

 private:
  void summarise(int64_t now_ms);

  std::vector<uint64_t> by_rule_;
  std::unordered_map<uint64_t, FailingRule> failing_;  // by pair
  uint64_t version_ = 0;
  bool window_open_ = false;
  int64_t window_start_ = 0;
  uint32_t logged_in_window_ = 0;
  uint64_t failures_in_window_ = 0;
};

}  // namespace vigil::core
