// The fields of each request body an EA or operator sends as text, and the
// most characters each may have. schemas/api/*.request.json state the same
// limits (maxLength) and README "API errors" lists them: change all three.
#pragma once

#include <cstddef>

#include "core/workflow/request_body.hpp"

namespace vigil::core::body_limits {

constexpr std::size_t kId = 128;  // our ids, execution ids, broker tickets and deals
constexpr std::size_t kName = 200;
constexpr std::size_t kErrorMessage = 1000;
constexpr std::size_t kInstrument = 64;
constexpr std::size_t kWord = 32;    // one of a few words: status, side, reason
constexpr std::size_t kNumber = 64;  // a price, volume or time as written (string or number)

inline constexpr FieldLimit kCreateClient[] = {{"name", kName}};
inline constexpr FieldLimit kCreateDevice[] = {{"name", kName}};
inline constexpr FieldLimit kCreateSignal[] = {{"client_id", kId},   {"instrument", kInstrument}, {"side", kWord},
                                               {"volume", kNumber},  {"entry_price", kNumber},    {"owner_sl", kNumber},
                                               {"owner_tp", kNumber}};
inline constexpr FieldLimit kClosePosition[] = {{"reason", kWord}};
inline constexpr FieldLimit kPushTick[] = {
    {"instrument", kInstrument}, {"bid", kNumber}, {"ask", kNumber}, {"time", kNumber}};
inline constexpr FieldLimit kAck[] = {{"position_id", kId},
                                      {"status", kWord},
                                      {"execution_id", kId},
                                      {"broker_ticket", kId},
                                      {"actual_entry_price", kNumber},
                                      {"filled_volume", kNumber},
                                      {"error_message", kErrorMessage}};
inline constexpr FieldLimit kCloseAck[] = {{"command_id", kId},
                                           {"status", kWord},
                                           {"actual_close_price", kNumber},
                                           {"broker_deal", kId},
                                           {"error_message", kErrorMessage}};
inline constexpr FieldLimit kPositionsSnapshot[] = {{"tickets", kId}};

}  // namespace vigil::core::body_limits
