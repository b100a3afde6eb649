// What the operator sees of each configured instrument (GET
// /api/v1/admin/instruments, "admin.instruments"): its last accepted bid and
// ask, when the last tick came and how old it is, the active source, and
// whether it is stale now. The instruments are the config's, so the list
// is short and answered whole ({"items": [...], "next_cursor": null}).
//
// Threading: any thread (FeedIntake's readers are thread-safe).
#pragma once

#include <cstdint>
#include <string>

#include "core/app/feed_intake.hpp"
#include "core/domain/instruments.hpp"

namespace vigil::core {

std::string instrument_quotes_json(const Instruments& instruments, const FeedIntake& intake, int64_t now_ms);

}  // namespace vigil::core
