// The floating loss of every client, position by position: what the
// drawdown guard judges. A position's loss is updated only when its price
// has moved a resolution step, so the cost follows the positions that
// moved, never all positions. Thread-safe: the engine calls a rule from
// several shard threads, and one client's positions may sit on several.
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace vigil::drawdown {

class DrawdownBook {
 public:
  // Starts counting a position (loss 0 until its price moves).
  void add(const std::string& group, const std::string& id);
  // Records a position's loss (negative: a gain) and judges its group: when
  // the group's loss has reached `max_loss`, returns the positions to close
  // (all of them, or the one losing most) and stops counting them.
  std::vector<std::string> update(const std::string& group, const std::string& id, double loss, double max_loss,
                                  bool close_all);
  // Stops counting a position (it left the engine).
  void remove(const std::string& group, const std::string& id);
  double loss_of(const std::string& group) const;

 private:
  struct Group {
    std::unordered_map<std::string, double> losses;
    double total = 0;
  };
  std::vector<std::string> take_all(Group& group);
  std::vector<std::string> take_worst(Group& group);

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Group> groups_;
};

}  // namespace vigil::drawdown
