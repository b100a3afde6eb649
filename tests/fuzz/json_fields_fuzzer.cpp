// libFuzzer target: core's JSON field reader (core/support/json_fields.cpp,
// parse_json_fields) on arbitrary text, checked against nlohmann's DOM
// parse: whatever it accepts is one JSON object with the same fields, each
// string read exactly and each number kept as a number's text.
#include <nlohmann/json.hpp>

#include "core/support/json_fields.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace {

using vigil::core::JsonField;

void check_field(const JsonField& field, const nlohmann::json& value) {
  switch (field.kind) {
    case JsonField::Kind::string:
      if (!value.is_string() || value.get<std::string>() != field.text) std::abort();
      break;
    case JsonField::Kind::number:
      if (!value.is_number() || !nlohmann::json::parse(field.text, nullptr, false).is_number()) std::abort();
      break;
    case JsonField::Kind::boolean:
      if (!value.is_boolean() || field.text != (value.get<bool>() ? "true" : "false")) std::abort();
      break;
    case JsonField::Kind::null:
      if (!value.is_null()) std::abort();
      break;
    case JsonField::Kind::object:
      if (!value.is_object()) std::abort();
      break;
    case JsonField::Kind::array:
      if (!value.is_array()) std::abort();
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = vigil::fuzz::text(data, size);
  vigil::core::JsonFields fields;
  try {
    fields = vigil::core::parse_json_fields(text);
  } catch (const vigil::core::JsonError& e) {
    if (std::string_view(e.what()).empty()) std::abort();
    return 0;
  }
  // Accepted: nlohmann must read the same object (duplicate keys were refused).
  nlohmann::json dom = nlohmann::json::parse(text, nullptr, false);
  if (!dom.is_object() || dom.size() != fields.size()) std::abort();
  for (const auto& [key, field] : fields) {
    auto it = dom.find(key);
    if (it == dom.end()) std::abort();
    check_field(field, *it);
  }
  return 0;
}
