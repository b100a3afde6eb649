#include "drawdown_book.hpp"

#include <algorithm>

namespace vigil::drawdown {

void DrawdownBook::add(const std::string& group, const std::string& id) {
  std::lock_guard lock(mutex_);
  groups_[group].losses.try_emplace(id, 0.0);
}

std::vector<std::string> DrawdownBook::update(const std::string& group, const std::string& id, double loss,
                                              double max_loss, bool close_all) {
  std::lock_guard lock(mutex_);
  Group& g = groups_[group];
  double& recorded = g.losses[id];
  g.total += loss - recorded;
  recorded = loss;
  if (g.total < max_loss) return {};
  std::vector<std::string> closing = close_all ? take_all(g) : take_worst(g);
  if (g.losses.empty()) groups_.erase(group);
  return closing;
}

std::vector<std::string> DrawdownBook::take_all(Group& g) {
  std::vector<std::string> ids;
  for (const auto& [id, loss] : g.losses) ids.push_back(id);
  std::sort(ids.begin(), ids.end());  // a stable order for logs and tests
  g.losses.clear();
  g.total = 0;
  return ids;
}

std::vector<std::string> DrawdownBook::take_worst(Group& g) {
  auto worst = std::max_element(g.losses.begin(), g.losses.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second < b.second : a.first > b.first;
  });
  std::string id = worst->first;
  g.total -= worst->second;
  g.losses.erase(worst);
  return {id};
}

void DrawdownBook::remove(const std::string& group, const std::string& id) {
  std::lock_guard lock(mutex_);
  auto g = groups_.find(group);
  if (g == groups_.end()) return;
  auto position = g->second.losses.find(id);
  if (position == g->second.losses.end()) return;
  g->second.total -= position->second;
  g->second.losses.erase(position);
  if (g->second.losses.empty()) groups_.erase(g);
}

double DrawdownBook::loss_of(const std::string& group) const {
  std::lock_guard lock(mutex_);
  auto g = groups_.find(group);
  return g == groups_.end() ? 0.0 : g->second.total;
}

}  // namespace vigil::drawdown
