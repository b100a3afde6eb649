// Counting and cutting UTF-8 text by characters.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vigil::core {

// The number of characters (Unicode code points) of valid UTF-8 text: what
// JSON Schema's maxLength counts.
std::size_t utf8_length(std::string_view text);

// `text` cut to at most `max_chars` characters at a character boundary,
// with "..." when cut: for echoing a caller's value in an error message.
std::string utf8_prefix(std::string_view text, std::size_t max_chars);

}  // namespace vigil::core
