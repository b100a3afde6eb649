#include "pg_array.hpp"

namespace vigil::store::postgres {

void append_array_element(std::string& array, const Value& v) {
  array += array.size() > 1 ? "," : "";
  if (v.is_null()) {
    array += "NULL";
  } else if (v.kind == Value::Kind::integer) {
    array += std::to_string(v.integer);
  } else {
    array += '"';
    // Runs without a quote or backslash are copied whole: hundreds of
    // elements per array, and nearly none needs escaping.
    std::string_view text = v.text;
    size_t copied = 0;
    for (size_t i = 0; i < text.size(); ++i)
      if (text[i] == '"' || text[i] == '\\') {
        array.append(text.substr(copied, i - copied)).push_back('\\');
        copied = i;  // the quote or backslash itself starts the next run
      }
    array.append(text.substr(copied)).push_back('"');
  }
}

}  // namespace vigil::store::postgres
