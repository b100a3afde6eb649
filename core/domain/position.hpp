// A position as the server knows it, and the view an EA may see.
//
// The hidden levels live only in `Position`. `EaPositionView` is a separate
// type that has no field for them and is built by one function, so no
// EA-facing code path can leak owner_sl, owner_tp or the signal payload:
// it would have to add a field here first.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/domain/instruments.hpp"
#include "core/domain/lifecycle.hpp"
#include "core/domain/side.hpp"

namespace vigil::core {

struct Position {
  std::string id;
  std::string signal_id;
  std::string device_id;
  std::string client_id;
  InstrumentId instrument = 0;
  Side side = Side::buy;
  PositionState state = PositionState::pending;
  int64_t volume = 0;               // VIGIL_VOLUME_SCALE
  int64_t entry_price = 0;          // the signal's, until the EA reports its fill
  std::optional<int64_t> owner_sl;  // hidden
  std::optional<int64_t> owner_tp;  // hidden
  int64_t created_at = 0;
  int64_t opened_at = 0;
};

// Exactly what an EA may learn about a position.
struct EaPositionView {
  std::string position_id;
  std::string signal_id;
  std::string instrument;
  Side side = Side::buy;
  int64_t volume = 0;
  int64_t entry_price = 0;
  int digits = 0;
  int64_t created_at = 0;
};

inline EaPositionView ea_view(const Position& p, const Instruments& instruments) {
  const Instrument& i = instruments.get(p.instrument);
  return {p.id, p.signal_id, i.symbol, p.side, p.volume, p.entry_price, i.digits, p.created_at};
}

}  // namespace vigil::core
