#include "bench_records.hpp"

#include "vigil/rule.h"

namespace vigil::bench {
namespace {

constexpr int64_t kNow = 1764064800000;

template <class R>
vigil_store_write write(int32_t entity, int32_t op, const R& record) {
  return {sizeof(vigil_store_write), entity, op, &record};
}

}  // namespace

vigil_str Breaches::keep(std::string text) {
  texts_.push_back(std::move(text));
  return {texts_.back().data(), texts_.back().size()};
}

Breaches::Breaches(size_t count) {
  client_ = {sizeof client_, keep("c1"), keep("Bench client"), kNow};
  device_ = {sizeof device_, keep("d1"), keep("c1"), keep("Terminal"), keep("v1.secret"), 1, kNow};
  signal_ = {sizeof signal_,
             keep("s1"),
             keep("c1"),
             keep("EURUSD"),
             VIGIL_SIDE_BUY,
             keep("0.10"),
             keep("1.10000"),
             keep("1.09500"),
             keep("1.11000"),
             {},
             {},
             kNow};
  for (size_t i = 0; i < count; ++i) {
    std::string n = std::to_string(i);
    vigil_store_position p{};
    p.struct_size = sizeof p;
    p.id = keep("p" + n);
    p.signal_id = signal_.id;
    p.device_id = device_.id;
    p.client_id = client_.id;
    p.instrument = signal_.instrument;
    p.side = VIGIL_SIDE_BUY;
    p.state = keep("open");
    p.version = 1;
    p.volume = signal_.volume;
    p.owner_sl = signal_.owner_sl;
    p.owner_tp = signal_.owner_tp;
    p.broker_ticket = keep("9000" + n);
    p.actual_entry_price = keep("1.10002");
    p.filled_volume = signal_.volume;
    p.created_at = p.opened_at = p.updated_at = kNow;
    opened_.push_back(p);
    p.state = keep("closing");
    p.version = 2;
    p.close_reason = keep("sl_hit");
    p.updated_at = kNow + 1;
    closing_.push_back(p);
    vigil_store_command c{};
    c.struct_size = sizeof c;
    c.id = keep("k" + n);
    c.position_id = p.id;
    c.device_id = device_.id;
    c.reason = p.close_reason;
    c.expected_price = keep("1.09490");
    c.level = p.owner_sl;
    c.status = keep("pending");
    c.version = 1;
    c.created_at = c.updated_at = kNow + 1;
    commands_.push_back(c);
    audits_.push_back({sizeof(vigil_store_audit),
                       0,
                       kNow + 1,
                       keep("position"),
                       p.id,
                       keep("closing"),
                       keep(R"({"reason":"sl_hit","price":"1.09490","level":"1.09500"})"),
                       {},
                       {}});
  }
}

std::vector<std::vector<vigil_store_write>> Breaches::setup(size_t group) const {
  std::vector<std::vector<vigil_store_write>> out(1);
  out[0] = {write(VIGIL_ENTITY_CLIENT, VIGIL_WRITE_INSERT, client_),
            write(VIGIL_ENTITY_DEVICE, VIGIL_WRITE_INSERT, device_),
            write(VIGIL_ENTITY_SIGNAL, VIGIL_WRITE_INSERT, signal_)};
  for (const vigil_store_position& p : opened_) {
    if (out.back().size() >= group) out.emplace_back();
    out.back().push_back(write(VIGIL_ENTITY_POSITION, VIGIL_WRITE_INSERT, p));
  }
  return out;
}

std::vector<vigil_store_write> Breaches::writes(size_t first, size_t count) const {
  std::vector<vigil_store_write> out;
  out.reserve(3 * count);
  for (size_t i = first; i < first + count; ++i) {
    out.push_back(write(VIGIL_ENTITY_COMMAND, VIGIL_WRITE_INSERT, commands_[i]));
    out.push_back(write(VIGIL_ENTITY_POSITION, VIGIL_WRITE_UPDATE, closing_[i]));
    out.push_back(write(VIGIL_ENTITY_AUDIT, VIGIL_WRITE_INSERT, audits_[i]));
  }
  return out;
}

}  // namespace vigil::bench
