#include "core/workflow/request_body.hpp"

#include "core/workflow/api_error.hpp"
#include "vigil/cpp/decimal.hpp"

namespace vigil::core {

RequestBody::RequestBody(std::string_view json) {
  if (json.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw ApiError(VIGIL_INVALID_ARGUMENT, "invalid_argument", "body: expected a JSON object");
  try {
    fields_ = parse_json_fields(json);
  } catch (const JsonError& e) {
    throw ApiError(VIGIL_INVALID_ARGUMENT, "invalid_argument", std::string("body: ") + e.what());
  }
  json_ = nlohmann::json::parse(json, nullptr, false);
}

bool RequestBody::has(const std::string& field) const {
  auto it = fields_.find(field);
  return it != fields_.end() && it->second.kind != JsonField::Kind::null;
}

std::optional<std::string> RequestBody::string(const std::string& field) const {
  if (!has(field)) return std::nullopt;
  const JsonField& f = fields_.find(field)->second;
  if (f.kind != JsonField::Kind::string) throw invalid_field(field, "expected a string");
  return f.text;
}

std::string RequestBody::required_string(const std::string& field) const {
  std::optional<std::string> text = string(field);
  if (!text || text->empty()) throw invalid_field(field, "required");
  return *text;
}

std::optional<std::string> RequestBody::number_text(const std::string& field) const {
  if (!has(field)) return std::nullopt;
  const JsonField& f = fields_.find(field)->second;
  if (f.kind != JsonField::Kind::string && f.kind != JsonField::Kind::number)
    throw invalid_field(field, "expected a decimal string or a number");
  return f.text;
}

std::optional<int64_t> RequestBody::decimal(const std::string& field, int digits) const {
  std::optional<std::string> text = number_text(field);
  if (!text) return std::nullopt;
  sdk::ParsedDecimal parsed = sdk::parse_decimal(*text, digits);
  if (!parsed.ok())
    throw invalid_field(field, "'" + *text + "' " + sdk::describe(*parsed.error) + " (at most " +
                                   std::to_string(digits) + " decimals)");
  return parsed.value;
}

int64_t RequestBody::required_decimal(const std::string& field, int digits) const {
  std::optional<int64_t> value = decimal(field, digits);
  if (!value) throw invalid_field(field, "required");
  return *value;
}

const nlohmann::json* RequestBody::value(const std::string& field) const {
  if (!has(field) || !json_.is_object()) return nullptr;
  auto it = json_.find(field);
  return it == json_.end() ? nullptr : &*it;
}

}  // namespace vigil::core
