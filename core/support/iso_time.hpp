// UTC times as text: ISO-8601 ("2024-01-02T10:00:00.123Z") and unix
// milliseconds, both ways, exactly (no time zone database, no locale).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::core {

// Parses "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+00:00)" (fraction truncated to
// milliseconds) or a plain integer of unix milliseconds.
std::optional<int64_t> parse_time(std::string_view text);

// "2024-01-02T10:00:00.123Z"
std::string format_iso_time(int64_t unix_ms);

}  // namespace vigil::core
