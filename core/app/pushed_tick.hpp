// An operator's pushed price (admin.push_tick): the request body
// {"instrument","bid","ask","time"?} read into the fields of a tick. Prices
// are strings or numbers, read as written; time is ISO-8601 UTC or unix
// milliseconds, `now_ms` when absent. Whether the prices fit the instrument
// is the intake's question, as for a feed's tick.
//
// Errors: throws std::invalid_argument naming the field ("field 'bid':
// give a bid, an ask or both").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vigil/app.h"

namespace vigil::core {

struct PushedTick {
  std::string instrument, bid, ask;  // bid or ask may be empty (unchanged), not both
  int64_t time_unix_ms = 0;

  // Borrows this tick's strings: valid while it lives unchanged.
  vigil_tick view() const;
};

PushedTick parse_pushed_tick(std::string_view body_json, int64_t now_ms);

}  // namespace vigil::core
