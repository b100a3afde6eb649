// GET /api/v1/admin/reports/slippage: what fills cost against what was
// asked, by instrument and device. All figures in points, adverse positive:
//   entry  actual entry against the signal's entry price;
//   close  actual close against the trigger price that fired (execution);
//   gap    trigger price against the level itself (the market gapped
//          through the stop before any tick showed it).
#include <map>

#include "core/workflow/amounts.hpp"
#include "core/workflow/workflow.hpp"

namespace vigil::core {
namespace {

void add(SlippageStats& stats, int64_t points) {
  ++stats.count;
  stats.sum += points;
  stats.worst = std::max(stats.worst, points);
}

// +1 when a higher price hurts (buying: entries of BUYs, closes of SELLs).
int64_t adverse_sign(int32_t side, bool closing) {
  bool buying = (side == VIGIL_SIDE_BUY) != closing;
  return buying ? 1 : -1;
}

}  // namespace

std::vector<SlippageRow> Workflow::slippage_report() const {
  std::map<std::pair<std::string, std::string>, SlippageRow> rows;  // (instrument, device)
  std::map<std::string, PositionRow> positions;
  for (PositionRow& p : store_.query<PositionRow>()) {
    std::optional<InstrumentId> id = instruments_.find(p.instrument);
    if (!id) continue;
    int digits = instruments_.get(*id).digits;
    SlippageRow& row = rows[{p.instrument, p.device_id}];
    if (!p.entry_price.empty() && !p.actual_entry_price.empty())
      add(row.entry, adverse_sign(p.side, false) *
                         (stored_decimal(p.actual_entry_price, digits) - stored_decimal(p.entry_price, digits)));
    positions[p.id] = std::move(p);
  }
  for (const CommandRow& c : store_.query<CommandRow>({}, {}, "executed")) {
    auto p = positions.find(c.position_id);
    if (p == positions.end() || c.expected_price.empty() || c.actual_close_price.empty()) continue;
    int digits = instruments_.get(*instruments_.find(p->second.instrument)).digits;
    int64_t sign = adverse_sign(p->second.side, true);
    SlippageRow& row = rows[{p->second.instrument, p->second.device_id}];
    add(row.close, sign * (stored_decimal(c.actual_close_price, digits) - stored_decimal(c.expected_price, digits)));
    if (!c.level.empty())
      add(row.gap, sign * (stored_decimal(c.expected_price, digits) - stored_decimal(c.level, digits)));
  }
  std::vector<SlippageRow> out;
  for (auto& [key, row] : rows) {
    row.instrument = key.first;
    row.device_id = key.second;
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace vigil::core
