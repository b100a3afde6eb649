#include "core/support/json_fields.hpp"

#include <nlohmann/json.hpp>

namespace vigil::core {
namespace {

// A SAX handler: nlohmann hands floating-point numbers over with their
// original text, which a DOM parse would lose.
class FieldCollector : public nlohmann::json_sax<nlohmann::json> {
 public:
  JsonFields fields;
  std::string error;

  bool null() override { return scalar(JsonField::Kind::null, "null"); }
  bool boolean(bool v) override { return scalar(JsonField::Kind::boolean, v ? "true" : "false"); }
  bool number_integer(number_integer_t v) override { return scalar(JsonField::Kind::number, std::to_string(v)); }
  bool number_unsigned(number_unsigned_t v) override { return scalar(JsonField::Kind::number, std::to_string(v)); }
  bool number_float(number_float_t, const string_t& text) override { return scalar(JsonField::Kind::number, text); }
  bool string(string_t& v) override { return scalar(JsonField::Kind::string, v); }
  bool binary(binary_t&) override { return scalar(JsonField::Kind::string, ""); }
  bool start_object(std::size_t) override { return open(JsonField::Kind::object); }
  bool end_object() override { return --depth_, true; }
  bool start_array(std::size_t) override {
    if (depth_ == 0) return fail("expected a JSON object, found an array");
    return open(JsonField::Kind::array);
  }
  bool end_array() override { return --depth_, true; }
  bool key(string_t& k) override {
    if (depth_ != 1) return true;
    if (fields.count(k)) return fail("duplicate key '" + k + "'");
    key_ = k;
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override {
    std::string what = e.what();
    auto colon = what.rfind(": ");
    return fail("malformed JSON at byte " + std::to_string(position) +
                (colon == std::string::npos ? "" : " (" + what.substr(colon + 2) + ")"));
  }
  bool saw_object() const { return saw_object_; }

 private:
  bool scalar(JsonField::Kind kind, std::string text) {
    if (depth_ == 0) return fail("expected a JSON object");
    if (depth_ == 1) fields[key_] = {kind, std::move(text)};
    return true;
  }
  bool open(JsonField::Kind kind) {
    if (depth_ == 0) saw_object_ = true;
    if (depth_ == 1) fields[key_] = {kind, ""};
    ++depth_;
    return true;
  }
  bool fail(std::string why) {
    if (error.empty()) error = std::move(why);
    return false;
  }
  int depth_ = 0;
  bool saw_object_ = false;
  std::string key_;
};

}  // namespace

JsonFields parse_json_fields(std::string_view text) {
  FieldCollector collector;
  bool ok = nlohmann::json::sax_parse(text.begin(), text.end(), &collector, nlohmann::json::input_format_t::json, true);
  if (!ok || !collector.error.empty()) throw JsonError(collector.error.empty() ? "malformed JSON" : collector.error);
  if (!collector.saw_object()) throw JsonError("expected a JSON object");
  return std::move(collector.fields);
}

const char* kind_name(JsonField::Kind kind) {
  switch (kind) {
    case JsonField::Kind::string:
      return "a string";
    case JsonField::Kind::number:
      return "a number";
    case JsonField::Kind::boolean:
      return "a boolean";
    case JsonField::Kind::null:
      return "null";
    case JsonField::Kind::object:
      return "an object";
    case JsonField::Kind::array:
      return "an array";
  }
  return "a value";
}

}  // namespace vigil::core
