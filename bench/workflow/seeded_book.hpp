// A book of live positions written straight into a store, as the workflow
// itself would have left it: one client per device (an EA account), 100
// open positions per device, each opened from its own signal (EURUSD, hidden
// stop-loss and take-profit far from any price the benchmarks use, a unique
// broker ticket per position). Device secrets are encrypted with the given
// cipher exactly as admin.create_device does, so a vigild on the same store
// and master key authenticates the devices. No audit rows: recovery does
// not read them.
//
// Ids are deterministic (index in hex, the length of the workflow's random
// ids), so a benchmark can name the devices without reading the store back.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/workflow/cipher_port.hpp"
#include "core/workflow/store_port.hpp"
#include "core/workflow/workflow.hpp"

namespace vigil::bench {

inline constexpr size_t kPositionsPerDevice = 100;
inline constexpr size_t kMinDevices = 8;  // devices a benchmark may use apart from the rest

struct SeededDevice {
  std::string id, client_id, secret;
};

// Engines that accept every position and watch none: what a benchmark of
// the workflow alone gives it.
core::EngineLink inert_engine_link();

// How many devices a book of `positions` live positions spreads over.
size_t devices_for(size_t positions);
std::string device_id(size_t index);
std::string client_id(size_t index);
std::string device_secret(size_t index);

// Writes the book in batches of a few thousand rows; returns its devices.
// Throws what the store or the cipher throws.
std::vector<SeededDevice> seed_book(const core::StorePort& store, const core::CipherPort& cipher, size_t positions,
                                    int64_t now_ms);

}  // namespace vigil::bench
