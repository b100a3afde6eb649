// The catastrophe stop: a wide hard stop the EA places at its broker behind
// the hidden one, so an outage of Vigil or of the EA cannot leave a
// position unprotected. It is the only level ever sent to an EA (the
// `catastrophe_sl` field of the execution-ack answer), so it must give
// little away: its distance from the fill is the
// hidden stop's distance times (multiple + a uniform random part), drawn
// per position, so subscribers of one signal get different levels and each
// learns only a loose upper bound on the hidden stop.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace vigil::core {

struct CatastropheOptions {
  int64_t multiple_percent = 300;  // of the hidden stop's distance
  int64_t random_percent = 100;    // plus up to this much more, uniformly drawn
};

// Where a position keeps its catastrophe stop: an entry of its
// rule_state_json (its levels), beside the rules' states. Rules are
// plugins named by their library, so the key never collides with one.
inline constexpr const char* kCatastropheKey = "catastrophe_stop";

// The level, fixed point, for a position filled at `fill` whose hidden stop
// is `owner_sl` (`buy`: the stop is below). `unit` in [0, 1) draws the
// random part. At least one point from the fill, and never at or below 0.
int64_t catastrophe_level(bool buy, int64_t fill, int64_t owner_sl, const CatastropheOptions& options, double unit);

// Whether a signal's rule choice (rules_json) asks for one.
bool wants_catastrophe_stop(const std::string& rules_json);

// The catastrophe stop among a position's rule states, if any.
std::optional<std::string> saved_catastrophe_stop(const std::map<std::string, std::string>& rule_states);

}  // namespace vigil::core
