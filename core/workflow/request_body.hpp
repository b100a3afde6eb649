// Reading a request's JSON body field by field, with errors that name the
// field. Prices and volumes keep the text they were written with (a number
// 1.1 is read as "1.1", never through a double). The body's strings were
// checked when it was parsed (UTF-8, no NUL: json_fields.hpp), and each
// route declares the most characters of each field it reads (body_limits.hpp),
// so nothing unbounded is stored or echoed back to an EA.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/support/json_fields.hpp"

namespace vigil::core {

// A field read as text (a string, a number as written, or an array of
// strings) and the most characters (Unicode code points, as JSON Schema's
// maxLength counts them) it, or each of its strings, may have.
struct FieldLimit {
  std::string_view field;
  std::size_t max_chars;
};
using FieldLimits = std::span<const FieldLimit>;

class RequestBody {
 public:
  // Parses the body and checks the length of every field `limits` lists
  // before any is read, so the answer does not depend on which path the
  // route takes. Throws ApiError (400) naming the field when the text is
  // not one JSON object, a string is not valid UTF-8 or holds a NUL, or a
  // field is longer than its limit.
  RequestBody(std::string_view json, FieldLimits limits);

  // The text readers below serve only fields `limits` lists: reading any
  // other is a programming error (std::logic_error).
  // A string field; nullopt when absent or null. Throws when not a string.
  std::optional<std::string> string(const std::string& field) const;
  // The same, and neither absent nor empty.
  std::string required_string(const std::string& field) const;
  // An array of non-empty strings.
  std::vector<std::string> required_string_array(const std::string& field) const;
  // A string or number, as written; nullopt when absent or null.
  std::optional<std::string> number_text(const std::string& field) const;
  // A decimal with at most `digits` decimals, scaled to an integer.
  std::optional<int64_t> decimal(const std::string& field, int digits) const;
  int64_t required_decimal(const std::string& field, int digits) const;
  // Any JSON value, as parsed JSON (for payloads and rule parameters);
  // nullptr when absent or null.
  const nlohmann::json* value(const std::string& field) const;
  bool has(const std::string& field) const;

 private:
  void check_limits() const;
  void require_declared(std::string_view field) const;

  JsonFields fields_;
  FieldLimits limits_;
};

// The first field of `fields` longer than its limit in `limits`, as
// "field 'NAME': longer than N characters" (an array's strings are named
// NAME[i]); empty when every listed field fits. Types are not checked here.
std::string limit_violation(const JsonFields& fields, FieldLimits limits);

}  // namespace vigil::core
