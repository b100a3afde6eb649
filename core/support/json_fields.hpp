// Reading the top-level fields of a JSON object while keeping numbers as the
// text they were written with: a price sent as the number 1.1 must be read
// as exactly "1.1", never through a double.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

namespace vigil::core {

struct JsonField {
  enum class Kind { string, number, boolean, null, object, array };
  Kind kind = Kind::null;
  std::string text;  // string content, number as written, "true"/"false"
};

using JsonFields = std::map<std::string, JsonField, std::less<>>;

class JsonError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Parses one JSON object. Nested objects and arrays are recorded by kind
// only. Throws JsonError on malformed JSON, a non-object, or a duplicate key.
JsonFields parse_json_fields(std::string_view text);

const char* kind_name(JsonField::Kind kind);

}  // namespace vigil::core
