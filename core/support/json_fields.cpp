#include "core/support/json_fields.hpp"

#include <optional>
#include <vector>

namespace vigil::core {
namespace {

constexpr std::size_t kEchoedKeyChars = 64;  // keys echoed in paths and messages

// What nlohmann's lexer found wrong inside a string, said without quoting
// the input: its own message ends with the raw bytes it read, which may be
// the very bytes that are not UTF-8.
std::string string_problem(const std::string& lexer_message) {
  auto has = [&](const char* s) { return lexer_message.find(s) != std::string::npos; };
  if (has("UTF-8")) return "not valid UTF-8";
  if (has("surrogate")) return "contains a lone UTF-16 surrogate escape";
  if (has("U+0000")) return "contains a NUL character";
  if (has("control character")) return "contains an unescaped control character";
  if (has("missing closing quote")) return "unterminated string";
  return "malformed escape sequence";
}

// Printable ASCII only, at most 120 characters: for parser messages that
// may quote the input.
std::string printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 120)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out;
}

// nlohmann's message without its prefix and without "; last read: '...'".
std::string lexer_message(const std::string& what) {
  std::string message = what.substr(0, what.find("; last read:"));
  auto dash = message.find(" - ");
  return dash == std::string::npos ? message : message.substr(dash + 3);
}

// A SAX handler: nlohmann hands floating-point numbers over with their
// original text, which a DOM parse would lose. Nested values are built here
// too, so the text is lexed (and its UTF-8 checked) once.
class FieldCollector : public nlohmann::json_sax<nlohmann::json> {
 public:
  JsonFields fields;
  std::optional<JsonError> error;

  bool null() override { return scalar(JsonField::Kind::null, "null", nullptr); }
  bool boolean(bool v) override { return scalar(JsonField::Kind::boolean, v ? "true" : "false", v); }
  bool number_integer(number_integer_t v) override { return scalar(JsonField::Kind::number, std::to_string(v), v); }
  bool number_unsigned(number_unsigned_t v) override { return scalar(JsonField::Kind::number, std::to_string(v), v); }
  bool number_float(number_float_t v, const string_t& text) override {
    return scalar(JsonField::Kind::number, text, v);
  }
  bool string(string_t& v) override {
    if (v.find('\0') != std::string::npos) return fail(path(frames_.size()), "contains a NUL character");
    return scalar(JsonField::Kind::string, v, v);
  }
  bool binary(binary_t&) override { return scalar(JsonField::Kind::string, "", ""); }
  bool start_object(std::size_t) override { return open(JsonField::Kind::object, nlohmann::json::object()); }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override {
    if (frames_.empty()) return fail("", "expected a JSON object, found an array");
    return open(JsonField::Kind::array, nlohmann::json::array());
  }
  bool end_array() override { return close(); }
  bool key(string_t& k) override {
    if (k.find('\0') != std::string::npos) return fail(path(frames_.size() - 1), "a key: contains a NUL character");
    if (frames_.size() == 1 && fields.count(k))
      return fail("", "duplicate key '" + utf8_prefix(k, kEchoedKeyChars) + "'");
    frames_.back().key = k;
    frames_.back().in_value = true;
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override {
    std::string message = lexer_message(e.what());
    if (message.rfind("invalid string", 0) == 0) return string_error(string_problem(message));
    return fail("", "malformed JSON at byte " + std::to_string(position) + " (" + printable(message) + ")");
  }
  bool saw_object() const { return saw_object_; }

 private:
  // One open object or array: the child being read names the path.
  struct Frame {
    bool array = false;
    bool in_value = false;  // an object's key was read and its value not yet
    std::size_t index = 0;  // an array's element being read
    std::string key;
  };

  bool scalar(JsonField::Kind kind, std::string text, nlohmann::json value) {
    if (frames_.empty()) return fail("", "expected a JSON object");
    place(kind, std::move(text), std::move(value));
    return next();
  }
  bool open(JsonField::Kind kind, nlohmann::json empty) {
    if (frames_.size() >= static_cast<std::size_t>(kMaxJsonDepth))
      return fail(path(frames_.size()), "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    nlohmann::json* slot = nullptr;
    if (frames_.empty())
      saw_object_ = true;
    else
      slot = place(kind, "", std::move(empty));
    Frame frame;
    frame.array = kind == JsonField::Kind::array;
    frames_.push_back(frame);
    containers_.push_back(slot);
    return true;
  }
  bool close() {
    frames_.pop_back();
    containers_.pop_back();
    return frames_.empty() || next();
  }
  // Stores a value where the parse stands: a top-level field, or a child
  // of the innermost open container. Only that container grows while it is
  // open, so the pointers to its ancestors stay valid.
  nlohmann::json* place(JsonField::Kind kind, std::string text, nlohmann::json value) {
    if (frames_.size() == 1) {
      JsonField& field = fields[frames_.back().key];
      field = {kind, std::move(text), std::move(value)};
      return &field.value;
    }
    nlohmann::json& container = *containers_.back();
    if (container.is_array()) {
      container.push_back(std::move(value));
      return &container.back();
    }
    return &(container[frames_.back().key] = std::move(value));
  }
  // A value of the innermost container is complete.
  bool next() {
    Frame& frame = frames_.back();
    if (frame.array)
      ++frame.index;
    else
      frame.in_value = false;
    return true;
  }
  bool string_error(const std::string& problem) {
    bool in_key = !frames_.empty() && !frames_.back().array && !frames_.back().in_value;
    if (in_key) return fail(path(frames_.size() - 1), "a key: " + problem);
    return fail(path(frames_.size()), problem);
  }
  // "payload.items[2].comment": the child being read in each of the first
  // `depth` frames.
  std::string path(std::size_t depth) const {
    std::string out;
    for (std::size_t i = 0; i < depth; ++i) {
      const Frame& frame = frames_[i];
      if (frame.array) {
        out += "[" + std::to_string(frame.index) + "]";
        continue;
      }
      if (!out.empty()) out += '.';
      out += utf8_prefix(frame.key, kEchoedKeyChars);
    }
    return out;
  }
  bool fail(std::string field, const std::string& reason) {
    if (!error) error.emplace(std::move(field), reason);
    return false;
  }

  std::vector<Frame> frames_;
  std::vector<nlohmann::json*> containers_;  // per frame; null for the top-level object
  bool saw_object_ = false;
};

}  // namespace

JsonError::JsonError(std::string field, const std::string& reason)
    : std::invalid_argument(field.empty() ? reason : "field '" + field + "': " + reason), field_(std::move(field)) {}

JsonFields parse_json_fields(std::string_view text) {
  FieldCollector collector;
  bool ok = nlohmann::json::sax_parse(text.begin(), text.end(), &collector, nlohmann::json::input_format_t::json, true);
  if (collector.error) throw *collector.error;
  if (!ok) throw JsonError("malformed JSON");
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
