#include "drawdown_book.hpp"

#include <algorithm>

namespace vigil::drawdown {

void DrawdownBook::add(const std::string& group, const std::string& id, Holding holding) {
  std::lock_guard lock(mutex_);
  groups_[group].try_emplace(id, std::move(holding));
}

std::vector<std::string> DrawdownBook::revalue(const std::string& group, const std::string& instrument, int64_t bid,
                                               int64_t ask, double max_loss, bool close_all) {
  std::lock_guard lock(mutex_);
  auto found = groups_.find(group);
  if (found == groups_.end()) return {};
  Group& g = found->second;
  // Every position of the instrument at once: within one tick the engine
  // calls positions one by one, and a hedge must not trip on half a count.
  for (auto& [id, h] : g) {
    int64_t price = h.buy ? bid : ask;
    if (h.instrument != instrument || price <= 0) continue;
    h.loss = static_cast<double>(h.buy ? h.entry - price : price - h.entry) * h.money_per_point;
  }
  if (total(g) < max_loss) return {};
  std::vector<std::string> closing = close_all ? take_all(g) : take_worst(g);
  if (g.empty()) groups_.erase(found);
  return closing;
}

double DrawdownBook::total(const Group& g) {
  double sum = 0;
  for (const auto& [id, h] : g) sum += h.loss;
  return sum;
}

std::vector<std::string> DrawdownBook::take_all(Group& g) {
  std::vector<std::string> ids;
  for (const auto& [id, h] : g) ids.push_back(id);
  std::sort(ids.begin(), ids.end());  // a stable order for logs and tests
  g.clear();
  return ids;
}

std::vector<std::string> DrawdownBook::take_worst(Group& g) {
  auto worst = std::max_element(g.begin(), g.end(), [](const auto& a, const auto& b) {
    return a.second.loss != b.second.loss ? a.second.loss < b.second.loss : a.first > b.first;
  });
  std::string id = worst->first;
  g.erase(worst);
  return {id};
}

void DrawdownBook::remove(const std::string& group, const std::string& id) {
  std::lock_guard lock(mutex_);
  auto g = groups_.find(group);
  if (g == groups_.end()) return;
  g->second.erase(id);
  if (g->second.empty()) groups_.erase(g);
}

double DrawdownBook::loss_of(const std::string& group) const {
  std::lock_guard lock(mutex_);
  auto g = groups_.find(group);
  return g == groups_.end() ? 0.0 : total(g->second);
}

}  // namespace vigil::drawdown
