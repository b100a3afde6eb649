// Reading the top-level fields of a JSON object while keeping numbers as the
// text they were written with: a price sent as the number 1.1 must be read
// as exactly "1.1", never through a double.
//
// Every string of the text (values and keys, at any depth) is checked once,
// in the same pass: valid UTF-8 (no overlong forms, no encoded surrogates),
// no lone surrogate escape, no NUL. A failure names the field's path
// ("payload.comment", "tickets[2]"), so callers answer 400 naming it.
#pragma once

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/support/utf8.hpp"

namespace vigil::core {

struct JsonField {
  enum class Kind { string, number, boolean, null, object, array };
  Kind kind = Kind::null;
  std::string text;      // string content, number as written, "true"/"false"
  nlohmann::json value;  // the same value parsed (numbers as doubles): for nested payloads and parameters
};

using JsonFields = std::map<std::string, JsonField, std::less<>>;

class JsonError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
  // An error inside one field: what() is "field 'PATH': REASON".
  JsonError(std::string field, const std::string& reason);
  // The path of the field at fault; empty when the error is about the body.
  const std::string& field() const noexcept { return field_; }

 private:
  std::string field_;
};

// Nesting deeper than this is refused: no payload needs it, and it bounds
// the work a hostile body can cause.
constexpr int kMaxJsonDepth = 64;

// Parses one JSON object. Throws JsonError on malformed JSON, a non-object,
// a duplicate top-level key, a bad string (see above), or nesting deeper
// than kMaxJsonDepth. Error messages never carry raw input bytes.
JsonFields parse_json_fields(std::string_view text);

const char* kind_name(JsonField::Kind kind);

}  // namespace vigil::core
