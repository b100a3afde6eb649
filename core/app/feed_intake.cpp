#include "core/app/feed_intake.hpp"

#include "core/support/log.hpp"
#include "vigil/cpp/error.hpp"

namespace vigil::core {

struct FeedIntake::Port {
  FeedIntake* intake;
  std::string name;
  std::string source;
  vigil_app table{};
};

FeedIntake::FeedIntake(const Instruments& instruments, const GuardOptions& guards, const Clock& clock,
                       ToEngine to_engine)
    : instruments_(instruments),
      clock_(clock),
      to_engine_(std::move(to_engine)),
      staleness_(guards.stale_after_ms, clock.now_ms()) {
  for (size_t i = 0; i < instruments_.size(); ++i) gates_.push_back(std::make_unique<InstrumentGate>(guards));
  port("push", "push");  // pushed prices are a feed of their own
  push_port_ = ports_.back().get();
}

FeedIntake::~FeedIntake() = default;

const vigil_app* FeedIntake::port(const std::string& name, const std::string& source) {
  auto port = std::make_unique<Port>();
  port->intake = this;
  port->name = name;
  port->source = source.empty() ? name : source;
  port->table.struct_size = sizeof port->table;
  port->table.ctx = port.get();
  port->table.publish_tick = [](void* ctx, const vigil_tick* tick, vigil_error* error) noexcept -> vigil_status {
    auto& p = *static_cast<Port*>(ctx);
    return p.intake->publish(p, *tick, error);
  };
  ports_.push_back(std::move(port));
  return &ports_.back()->table;
}

vigil_status FeedIntake::push(const vigil_tick& tick, vigil_error* error) {
  return publish(*push_port_, tick, error);
}

vigil_status FeedIntake::publish(const Port& port, const vigil_tick& tick, vigil_error* error) {
  try {
    admit(port, parse_tick(instruments_, tick));
    return VIGIL_OK;
  } catch (const TickRejected& e) {
    ++rejected_;
    sdk::set_error(error, e.what());
    return VIGIL_INVALID_ARGUMENT;
  } catch (const std::exception& e) {
    sdk::set_error(error, e.what());
    return VIGIL_INTERNAL;
  }
}

void FeedIntake::admit(const Port& port, const ParsedTick& tick) {
  const std::string& symbol = instruments_.get(tick.instrument).symbol;
  InstrumentGate::Admission admission = gates_[tick.instrument]->admit(port.source, tick, clock_.now_ms(), staleness_);
  if (!admission.switched_from.empty())
    log(LogLevel::warn, "feeds",
        symbol + ": prices now from " + admission.switched_to + " (was " + admission.switched_from + ")");
  if (admission.standby) {
    ++standby_;
    return;
  }
  if (!admission.verdict.refused.empty()) {
    ++guarded_;
    log(LogLevel::warn, port.name, symbol + ": tick refused by the price guard: " + admission.verdict.refused);
  }
  for (const ParsedTick& released : admission.verdict.release) to_engine_(released);
  ++accepted_;
}

void FeedIntake::set_sources(InstrumentId instrument, std::vector<std::string> sources, int64_t failover_after_ms) {
  gates_.at(instrument)->set_sources(std::move(sources), failover_after_ms);
}

void FeedIntake::set_staleness(InstrumentId instrument, TradingHours hours, bool hold_when_stale) {
  gates_.at(instrument)->set_staleness(std::move(hours), hold_when_stale);
}

std::optional<int64_t> FeedIntake::market_price(InstrumentId instrument, Side side) const {
  return gates_.at(instrument)->market_price(side);
}

std::vector<std::string> FeedIntake::stale_instruments() const {
  std::vector<std::string> out;
  int64_t now = clock_.now_ms();
  for (size_t i = 0; i < gates_.size(); ++i)
    if (gates_[i]->stale(staleness_, now)) out.push_back(instruments_.get(static_cast<InstrumentId>(i)).symbol);
  return out;
}

std::map<std::string, std::optional<std::string>> FeedIntake::active_sources() const {
  std::map<std::string, std::optional<std::string>> out;
  for (size_t i = 0; i < gates_.size(); ++i)
    if (gates_[i]->lists_sources())
      out[instruments_.get(static_cast<InstrumentId>(i)).symbol] = gates_[i]->active_source();
  return out;
}

std::map<std::string, int64_t> FeedIntake::last_tick_times() const {
  std::map<std::string, int64_t> out;
  for (size_t i = 0; i < gates_.size(); ++i)
    out[instruments_.get(static_cast<InstrumentId>(i)).symbol] = gates_[i]->last_tick_ms();
  return out;
}

void FeedIntake::export_metrics(Metrics& metrics) const {
  int64_t now = clock_.now_ms();
  InstrumentGate::GapCounts gaps;
  for (size_t i = 0; i < gates_.size(); ++i) {
    if (int64_t last = gates_[i]->last_tick_ms())
      metrics.set("vigil_instrument_tick_age_seconds{instrument=\"" +
                      instruments_.get(static_cast<InstrumentId>(i)).symbol + "\"}",
                  static_cast<double>(now - last) / 1000.0);
    InstrumentGate::GapCounts g = gates_[i]->gap_counts();
    gaps.held += g.held, gaps.released += g.released, gaps.dropped += g.dropped;
  }
  metrics.set_counter("vigil_ticks_accepted_total", static_cast<double>(accepted_.load()));
  metrics.set_counter("vigil_ticks_rejected_total", static_cast<double>(rejected_.load()));
  metrics.set_counter("vigil_ticks_guarded_total", static_cast<double>(guarded_.load()));
  metrics.set_counter("vigil_ticks_standby_total", static_cast<double>(standby_.load()));
  metrics.set_counter("vigil_ticks_stale_held_total", static_cast<double>(gaps.held));
  metrics.set_counter("vigil_ticks_stale_released_total", static_cast<double>(gaps.released));
  metrics.set_counter("vigil_ticks_stale_dropped_total", static_cast<double>(gaps.dropped));
}

}  // namespace vigil::core
