#include "core/app/pushed_tick.hpp"

#include <stdexcept>

#include "core/support/json_fields.hpp"
#include "core/workflow/body_limits.hpp"
#include "vigil/cpp/error.hpp"
#include "vigil/cpp/iso_time.hpp"

namespace vigil::core {
namespace {

JsonFields parse_body(std::string_view body_json) {
  try {
    return parse_json_fields(body_json);
  } catch (const JsonError& e) {
    throw std::invalid_argument(e.field().empty() ? std::string("body: ") + e.what() : e.what());
  }
}

// A string or a number as written; empty when absent or null.
std::string text(const JsonFields& body, const char* field, bool required) {
  auto it = body.find(field);
  if (it == body.end() || it->second.kind == JsonField::Kind::null) {
    if (required) throw std::invalid_argument(std::string("field '") + field + "': missing");
    return "";
  }
  if (it->second.kind != JsonField::Kind::string && it->second.kind != JsonField::Kind::number)
    throw std::invalid_argument(std::string("field '") + field + "': expected a string or a number");
  return it->second.text;
}

}  // namespace

vigil_tick PushedTick::view() const {
  return {sizeof(vigil_tick), sdk::str(instrument), sdk::str(bid), sdk::str(ask), time_unix_ms, -1};
}

PushedTick parse_pushed_tick(std::string_view body_json, int64_t now_ms) {
  JsonFields body = parse_body(body_json);
  if (std::string why = limit_violation(body, body_limits::kPushTick); !why.empty()) throw std::invalid_argument(why);
  PushedTick out{text(body, "instrument", true), text(body, "bid", false), text(body, "ask", false), now_ms};
  if (out.bid.empty() && out.ask.empty()) throw std::invalid_argument("field 'bid': give a bid, an ask or both");
  if (std::string written = text(body, "time", false); !written.empty()) {
    auto parsed = sdk::parse_time(written);
    if (!parsed) throw std::invalid_argument("field 'time': expected ISO-8601 UTC or unix milliseconds");
    out.time_unix_ms = *parsed;
  }
  return out;
}

}  // namespace vigil::core
