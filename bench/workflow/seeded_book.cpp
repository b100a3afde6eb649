#include "bench/workflow/seeded_book.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>

namespace vigil::bench {
namespace {

constexpr size_t kRowsPerBatch = 4000;

// The workflow's ids are a prefix and 32 hex digits (random_id.cpp).
std::string id(const char* prefix, size_t index) {
  char text[48];
  std::snprintf(text, sizeof text, "%s_%032zx", prefix, index);
  return text;
}

core::PositionRow open_position(size_t index, const SeededDevice& device, int64_t now_ms) {
  bool buy = index % 2 == 0;
  core::PositionRow p;
  p.id = id("pos", index);
  p.signal_id = id("sig", index);
  p.device_id = device.id;
  p.client_id = device.client_id;
  p.instrument = "EURUSD";
  p.side = buy ? VIGIL_SIDE_BUY : VIGIL_SIDE_SELL;
  p.state = core::PositionState::open;
  p.version = 3;  // created pending, delivered, acknowledged as executed
  p.volume = "1";
  p.owner_sl = buy ? "0.50000" : "2.00000";
  p.owner_tp = buy ? "2.00000" : "0.50000";
  p.execution_id = id("exe", index);
  p.broker_ticket = std::to_string(100'000'000 + index);
  p.actual_entry_price = "1.10010";
  p.filled_volume = "1";
  p.created_at = now_ms - 60'000;
  p.opened_at = p.updated_at = now_ms - 59'000;
  return p;
}

core::SignalRow signal_of(const core::PositionRow& p) {
  core::SignalRow s;
  s.id = p.signal_id;
  s.client_id = p.client_id;
  s.instrument = p.instrument;
  s.side = p.side;
  s.volume = p.volume;
  s.owner_sl = p.owner_sl;
  s.owner_tp = p.owner_tp;
  s.rules_json = "{}";  // what admin.create_signal stores when no rule is chosen
  s.created_at = p.created_at;
  return s;
}

}  // namespace

core::EngineLink inert_engine_link() {
  core::EngineLink inert;
  inert.watch = [](const core::NewPosition&) {};
  inert.unwatch = [](uint64_t, core::InstrumentId) {};
  inert.validate = [](const core::NewPosition&) { return std::string(); };
  inert.market_price = [](core::InstrumentId, core::Side) { return std::optional<int64_t>(); };
  return inert;
}

size_t devices_for(size_t positions) {
  return std::max(kMinDevices, (positions + kPositionsPerDevice - 1) / kPositionsPerDevice);
}

std::string device_id(size_t index) {
  return id("dev", index);
}

std::string client_id(size_t index) {
  return id("cl", index);
}

std::string device_secret(size_t index) {
  char text[72];
  std::snprintf(text, sizeof text, "%032zx%032zx", index * 2654435761u, index + 1);
  return text;
}

std::vector<SeededDevice> seed_book(const core::StorePort& store, const core::CipherPort& cipher, size_t positions,
                                    int64_t now_ms) {
  std::vector<SeededDevice> devices;
  size_t device_count = devices_for(positions);
  core::WriteBatch batch;
  auto flush = [&] {
    store.apply(batch);
    batch = core::WriteBatch();
  };
  for (size_t d = 0; d < device_count; ++d) {
    SeededDevice device{device_id(d), client_id(d), device_secret(d)};
    batch.insert(core::ClientRow{device.client_id, "bench client", now_ms - 120'000});
    batch.insert(core::DeviceRow{device.id, device.client_id, "bench terminal",
                                 cipher.encrypt(device.client_id, "device_secret", device.secret), true,
                                 now_ms - 120'000});
    devices.push_back(std::move(device));
    if (batch.size() >= kRowsPerBatch) flush();
  }
  flush();
  for (size_t i = 0; i < positions; ++i) {
    core::PositionRow p = open_position(i, devices[i / kPositionsPerDevice], now_ms);
    batch.insert(signal_of(p));
    batch.insert(std::move(p));
    if (batch.size() >= kRowsPerBatch) flush();
  }
  flush();
  return devices;
}

}  // namespace vigil::bench
