#include "core/workflow/request_body.hpp"

#include <algorithm>

#include "core/workflow/api_error.hpp"
#include "core/workflow/field_text.hpp"

namespace vigil::core {

RequestBody::RequestBody(std::string_view json, FieldLimits limits) : limits_(limits) {
  if (json.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw ApiError(VIGIL_INVALID_ARGUMENT, "invalid_argument", "body: expected a JSON object");
  try {
    fields_ = parse_json_fields(json);
  } catch (const JsonError& e) {
    // A bad string names its field ("field 'payload.comment': ...").
    std::string message = e.field().empty() ? std::string("body: ") + e.what() : e.what();
    throw ApiError(VIGIL_INVALID_ARGUMENT, "invalid_argument", message);
  }
  check_limits();
}

namespace {

bool too_long(std::string_view text, std::size_t max_chars) {
  // A character is at least one byte: short texts need no counting.
  return text.size() > max_chars && utf8_length(text) > max_chars;
}

std::string too_long_message(const std::string& field, std::size_t max_chars) {
  return "field '" + field + "': longer than " + std::to_string(max_chars) + " characters";
}

std::string array_violation(const FieldLimit& limit, const nlohmann::json& list) {
  for (std::size_t i = 0; i < list.size(); ++i)
    if (list[i].is_string() && too_long(list[i].get_ref<const std::string&>(), limit.max_chars))
      return too_long_message(std::string(limit.field) + "[" + std::to_string(i) + "]", limit.max_chars);
  return "";
}

}  // namespace

std::string limit_violation(const JsonFields& fields, FieldLimits limits) {
  for (const FieldLimit& limit : limits) {
    auto it = fields.find(limit.field);
    if (it == fields.end()) continue;
    const JsonField& f = it->second;
    if (f.kind == JsonField::Kind::array) {
      if (std::string why = array_violation(limit, f.value); !why.empty()) return why;
    } else if (too_long(f.text, limit.max_chars)) {  // a string, or a number as written
      return too_long_message(std::string(limit.field), limit.max_chars);
    }
  }
  return "";
}

void RequestBody::check_limits() const {
  if (std::string why = limit_violation(fields_, limits_); !why.empty())
    throw ApiError(VIGIL_INVALID_ARGUMENT, "invalid_argument", why);
}

void RequestBody::require_declared(std::string_view field) const {
  auto declared = [&](const FieldLimit& limit) { return limit.field == field; };
  if (std::none_of(limits_.begin(), limits_.end(), declared))
    throw std::logic_error("field '" + std::string(field) + "' is read without a declared length limit");
}

bool RequestBody::has(const std::string& field) const {
  auto it = fields_.find(field);
  return it != fields_.end() && it->second.kind != JsonField::Kind::null;
}

std::optional<std::string> RequestBody::string(const std::string& field) const {
  require_declared(field);
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

std::vector<std::string> RequestBody::required_string_array(const std::string& field) const {
  require_declared(field);
  const nlohmann::json* list = value(field);
  if (!list || !list->is_array()) throw invalid_field(field, "expected an array of strings");
  std::vector<std::string> out;
  out.reserve(list->size());
  for (const nlohmann::json& item : *list) {
    if (!item.is_string() || item.get_ref<const std::string&>().empty())
      throw invalid_field(field + "[" + std::to_string(out.size()) + "]", "expected a non-empty string");
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<std::string> RequestBody::number_text(const std::string& field) const {
  require_declared(field);
  if (!has(field)) return std::nullopt;
  const JsonField& f = fields_.find(field)->second;
  if (f.kind != JsonField::Kind::string && f.kind != JsonField::Kind::number)
    throw invalid_field(field, "expected a decimal string or a number");
  return f.text;
}

std::optional<int64_t> RequestBody::decimal(const std::string& field, int digits) const {
  return decimal_field(field, number_text(field), digits);
}

int64_t RequestBody::required_decimal(const std::string& field, int digits) const {
  return required_decimal_field(field, number_text(field), digits);
}

const nlohmann::json* RequestBody::value(const std::string& field) const {
  if (!has(field)) return nullptr;
  return &fields_.find(field)->second.value;
}

}  // namespace vigil::core
