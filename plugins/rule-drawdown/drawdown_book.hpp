// The floating loss of every client, position by position: what the
// drawdown guard judges. Thread-safe: the engine calls a rule from several
// shard threads, and one client's positions may sit on several.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace vigil::drawdown {

// One position as the book counts it.
struct Holding {
  std::string instrument;
  bool buy = true;
  int64_t entry = 0;
  double money_per_point = 0;  // lots x point value
  double loss = 0;             // at the last count; negative: a gain
};

class DrawdownBook {
 public:
  // Starts counting a position (its loss is 0 until its instrument is
  // counted at a quote).
  void add(const std::string& group, const std::string& id, Holding holding);
  // Counts every position of `group` on `instrument` at this quote (a 0
  // side is unknown: those positions keep their last count), then judges
  // the group: when its loss has reached `max_loss`, returns the positions
  // to close (all of them, or the one losing most) and stops counting them.
  // Costs the group's positions, never the book's.
  std::vector<std::string> revalue(const std::string& group, const std::string& instrument, int64_t bid, int64_t ask,
                                   double max_loss, bool close_all);
  // Stops counting a position (it left the engine).
  void remove(const std::string& group, const std::string& id);
  double loss_of(const std::string& group) const;

 private:
  using Group = std::unordered_map<std::string, Holding>;
  static double total(const Group& group);
  static std::vector<std::string> take_all(Group& group);
  static std::vector<std::string> take_worst(Group& group);

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Group> groups_;
};

}  // namespace vigil::drawdown
