// Reading a request's JSON body field by field, with errors that name the
// field. Prices and volumes keep the text they were written with (a number
// 1.1 is read as "1.1", never through a double).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/support/json_fields.hpp"

namespace vigil::core {

class RequestBody {
 public:
  // Throws ApiError (400) when the text is not one JSON object.
  explicit RequestBody(std::string_view json);

  // A string field; nullopt when absent or null. Throws when not a string.
  std::optional<std::string> string(const std::string& field) const;
  std::string required_string(const std::string& field) const;
  // A string or number, as written; nullopt when absent or null.
  std::optional<std::string> number_text(const std::string& field) const;
  // A decimal with at most `digits` decimals, scaled to an integer.
  std::optional<int64_t> decimal(const std::string& field, int digits) const;
  int64_t required_decimal(const std::string& field, int digits) const;
  // Any JSON value, as parsed JSON (for payloads and rule parameters).
  const nlohmann::json* value(const std::string& field) const;
  bool has(const std::string& field) const;

 private:
  JsonFields fields_;
  nlohmann::json json_;
};

}  // namespace vigil::core
