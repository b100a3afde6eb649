// PostgreSQL array literals, the text form in which pg_batch hands a run of
// writes to unnest(): {"text",NULL,...} or {1,NULL,...}. Every text element
// is quoted, with '"' and '\' escaped, so any text the write checks let
// through (valid UTF-8 without NUL bytes) reaches the column unchanged; the
// fuzzer in tests/fuzz parses the literal back to hold it to that.
#pragma once

#include <string>

#include "value.hpp"

namespace vigil::store::postgres {

// Appends one element to `array`, which holds "{" and the elements so far
// (the caller closes it with "}").
void append_array_element(std::string& array, const Value& v);

}  // namespace vigil::store::postgres
