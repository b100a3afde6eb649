// Vigil C++ SDK — reading a plugin's options and a position's parameters.
//
// A plugin receives its options as JSON text (CreateArgs::options_json, the
// config's `options:` mapping) and a rule also receives one position's
// parameters (Position::params_json, the signal's `rules` entry for it).
// Options reads that text into typed values, refuses what it cannot use and
// names the key in every error:
//
//   vigil::sdk::Options o(args.options_json, "feed-csv");
//   std::string file = o.required_string("file");
//   int64_t every = o.duration_ms("poll", 500);             // "500ms", "2s", ...
//   bool loop = o.boolean("loop", false);
//   int port = o.integer("port", 9000, 1, 65535);
//   o.finish();  // "feed-csv: option fiel: unknown option (known: file, loop, poll, port)"
//
// A rule reads its config options as defaults with the position's
// parameters laid over them, key by key (Options::merge):
//
//   auto p = vigil::sdk::Options::merge(defaults, position.params_json, {"distance", "step"});
//   if (!p.has("distance")) return;  // no distance: leave the position alone
//   int64_t distance = p.required_distance("distance", position.digits);
//   int64_t step = p.distance("step", position.digits, 1);
//
// What each getter accepts:
// - string: a non-empty JSON string (an empty one is a forgotten value more
//   often than a meant one), refused in the plugin's words when it passes
//   them ("expected \"HOST:PORT\""); one_of: one of a fixed set of strings.
// - boolean: true or false (not "yes", not 1).
// - integer: a JSON number without fraction or exponent, within [min, max].
// - number: a JSON number or a string holding one ("2.5"), within [min, max].
// - duration_ms: "250ms", "90s", "15m", "4h", "2d" (a whole number and one
//   unit) or a JSON integer, read as seconds; returned in milliseconds.
// - time_ms: ISO-8601 UTC ("2024-01-02T21:00:00Z") or a JSON integer of unix
//   milliseconds.
// - price: a positive decimal at the instrument's digits, as text
//   ("1.10500") or a JSON number read as written (1.105, 1e-05), never
//   through a double; returned as the fixed-point integer decimal.hpp uses.
// - distance: a price that may be 0, or {"points": N} (N a JSON integer >= 0).
// - object / objects: a nested mapping, or a non-empty list of mappings,
//   read with the same getters; their keys are named "symbols[1].fix".
// A getter with a fallback returns it when the key is absent; the
// required_ variant throws "missing". A key present with the wrong type or
// out of range always throws: a bad value never silently becomes the
// default. JSON null is a value like any other (refused by every getter).
//
// Errors: every refusal is a std::invalid_argument, which the SDK's guard
// (error.hpp) returns to the host as VIGIL_INVALID_ARGUMENT. Its message is
// "<plugin>: <noun> <key>: <why>, got <value>", for example
//   feed-fix: option port: expected an integer from 1 to 65535, got 70000
// <plugin> is left out when empty: the host already prefixes a component's
// errors with its name ("position p1: rule rule-trailing: ..."), so rules
// usually pass none. <noun> is "option", or "parameter" for keys a position's
// parameters gave (merge). Malformed JSON, a text that is not a JSON object,
// and a key given twice are refused by the constructor.
//
// Unknown keys: every getter and has() records the key it was asked for;
// finish() then refuses every key present that nothing asked for, naming
// all of them and the keys that are known. allow() does the same up front,
// for a plugin that wants a typo reported before a missing key (a list of
// keys or, for keys known only at run time, a vector of them).
//
// Ownership and threading: an Options owns its parsed copy of the text
// (children share it), so the text may go away after construction. One
// Options is read by one thread at a time: the getters are const but record
// the keys asked for. Parsing is linear in the text; nesting deeper than 64
// levels is refused.
#pragma once

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <locale>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vigil/cpp/decimal.hpp"
#include "vigil/cpp/iso_time.hpp"
#include "vigil/cpp/utf8.hpp"

namespace vigil::sdk {

namespace detail {

// A parsed JSON value. A number keeps its text as written, so that a price
// is read exactly and a large integer is never rounded through a double.
struct JsonValue {
  enum class Type { null, boolean, number, string, array, object };
  Type type = Type::null;
  bool boolean = false;
  std::string text;               // a string's contents, or a number as written
  std::vector<std::string> keys;  // an object's keys, in the order given
  std::vector<JsonValue> items;   // an array's items, or an object's values (items[i] belongs to keys[i])
};

// Strict RFC 8259 JSON: no comments, no trailing commas, UTF-8 only, and
// (stricter than the RFC) no key given twice in one object.
class JsonParser {
 public:
  explicit JsonParser(std::string_view text) : text_(text) {}

  // Parses the whole text into `out`; on malformed JSON returns a reason
  // ("expected ':' at offset 7").
  std::optional<std::string> parse(JsonValue& out) {
    size_t bad = utf8_error_offset(text_);
    if (bad != text_.size()) return "not UTF-8 at offset " + std::to_string(bad);
    if (!value(out, 0)) return error_;
    skip_space();
    if (at_ < text_.size()) return "unexpected text at offset " + std::to_string(at_);
    return std::nullopt;
  }

  // The length of the JSON number at the start of `text`, 0 if none.
  static size_t number_length(std::string_view text) {
    size_t i = 0;
    auto digits = [&] {
      size_t start = i;
      while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
      return i - start;
    };
    if (i < text.size() && text[i] == '-') ++i;
    if (i < text.size() && text[i] == '0') {
      ++i;
    } else if (digits() == 0) {
      return 0;
    }
    if (i < text.size() && text[i] == '.') {
      ++i;
      if (digits() == 0) return 0;
    }
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
      ++i;
      if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
      if (digits() == 0) return 0;
    }
    return i;
  }

 private:
  static constexpr int kMaxDepth = 64;

  bool fail(const std::string& what) {
    error_ = what + " at offset " + std::to_string(at_);
    return false;
  }
  void skip_space() {
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r'))
      ++at_;
  }
  bool literal(std::string_view word) {
    if (text_.substr(at_, word.size()) != word) return fail("expected a value");
    at_ += word.size();
    return true;
  }

  bool value(JsonValue& out, int depth) {
    skip_space();
    if (at_ >= text_.size()) return fail("expected a value");
    char c = text_[at_];
    if (c == '{' || c == '[') {
      if (depth >= kMaxDepth) return fail("nested too deeply");
      return c == '{' ? object(out, depth + 1) : array(out, depth + 1);
    }
    if (c == '"') {
      out.type = JsonValue::Type::string;
      return string(out.text);
    }
    if (c == 't' || c == 'f') {
      out.type = JsonValue::Type::boolean;
      out.boolean = c == 't';
      return literal(c == 't' ? "true" : "false");
    }
    if (c == 'n') return literal("null");
    size_t length = number_length(text_.substr(at_));
    if (length == 0) return fail("expected a value");
    out.type = JsonValue::Type::number;
    out.text = std::string(text_.substr(at_, length));
    at_ += length;
    return true;
  }

  bool object(JsonValue& out, int depth) {
    out.type = JsonValue::Type::object;
    ++at_;
    skip_space();
    if (at_ < text_.size() && text_[at_] == '}') return ++at_, true;
    for (;;) {
      skip_space();
      if (at_ >= text_.size() || text_[at_] != '"') return fail("expected a key");
      out.keys.emplace_back();
      if (!string(out.keys.back())) return false;
      skip_space();
      if (at_ >= text_.size() || text_[at_] != ':') return fail("expected ':'");
      ++at_;
      out.items.emplace_back();
      if (!value(out.items.back(), depth)) return false;
      skip_space();
      if (at_ < text_.size() && text_[at_] == ',') {
        ++at_;
        continue;
      }
      if (at_ < text_.size() && text_[at_] == '}') return ++at_, unique_keys(out);
      return fail("expected ',' or '}'");
    }
  }

  // Sorted, not compared pairwise: a position's parameters come from the
  // API, and an object of many keys must not cost quadratic time.
  bool unique_keys(const JsonValue& object) {
    std::vector<std::string_view> keys(object.keys.begin(), object.keys.end());
    std::sort(keys.begin(), keys.end());
    auto twice = std::adjacent_find(keys.begin(), keys.end());
    if (twice == keys.end()) return true;
    --at_;
    return fail("key '" + std::string(*twice) + "' given twice in the object ending");
  }

  bool array(JsonValue& out, int depth) {
    out.type = JsonValue::Type::array;
    ++at_;
    skip_space();
    if (at_ < text_.size() && text_[at_] == ']') return ++at_, true;
    for (;;) {
      out.items.emplace_back();
      if (!value(out.items.back(), depth)) return false;
      skip_space();
      if (at_ < text_.size() && text_[at_] == ',') {
        ++at_;
        continue;
      }
      if (at_ < text_.size() && text_[at_] == ']') return ++at_, true;
      return fail("expected ',' or ']'");
    }
  }

  bool hex4(uint32_t& out) {
    if (text_.size() - at_ < 4) return fail("expected 4 hex digits");
    out = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text_[at_++];
      int digit = c >= '0' && c <= '9'   ? c - '0'
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                         : -1;
      if (digit < 0) return --at_, fail("expected 4 hex digits");
      out = out * 16 + static_cast<uint32_t>(digit);
    }
    return true;
  }

  static void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xc0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xe0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    }
  }

  bool string(std::string& out) {
    ++at_;
    for (;;) {
      if (at_ >= text_.size()) return fail("unterminated string");
      char c = text_[at_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return --at_, fail("control character in a string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (at_ >= text_.size()) return fail("unterminated string");
      char e = text_[at_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          uint32_t cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xdc00 && cp <= 0xdfff) return fail("lone UTF-16 surrogate");
          if (cp >= 0xd800 && cp <= 0xdbff) {
            uint32_t low = 0;
            if (text_.substr(at_, 2) != "\\u") return fail("lone UTF-16 surrogate");
            at_ += 2;
            if (!hex4(low)) return false;
            if (low < 0xdc00 || low > 0xdfff) return fail("lone UTF-16 surrogate");
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          }
          append_utf8(out, cp);
          break;
        }
        default:
          return --at_, fail("unknown escape");
      }
    }
  }

  std::string_view text_;
  size_t at_ = 0;
  std::string error_;
};

// A JSON number's text without its exponent ("1.5e-3" -> "0.0015"), so that
// parse_decimal reads it exactly; nullopt when the exponent is absurd for a
// price.
inline std::optional<std::string> plain_decimal(std::string_view number) {
  size_t e = number.find_first_of("eE");
  if (e == std::string_view::npos) return std::string(number);
  std::string_view mantissa = number.substr(0, e);
  std::string_view exponent = number.substr(e + 1);
  bool negative_exponent = !exponent.empty() && exponent[0] == '-';
  if (!exponent.empty() && (exponent[0] == '-' || exponent[0] == '+')) exponent.remove_prefix(1);
  while (exponent.size() > 1 && exponent[0] == '0') exponent.remove_prefix(1);
  if (exponent.size() > 2) return std::nullopt;  // beyond 10^±99: no price is written like that
  int shift = std::stoi(std::string(exponent)) * (negative_exponent ? -1 : 1);
  std::string sign;
  if (!mantissa.empty() && mantissa[0] == '-') sign = "-", mantissa.remove_prefix(1);
  size_t point = mantissa.find('.');
  std::string digits(mantissa.substr(0, point));
  int integer_digits = static_cast<int>(digits.size());
  if (point != std::string_view::npos) digits += mantissa.substr(point + 1);
  int new_point = integer_digits + shift;
  if (new_point <= 0) return sign + "0." + std::string(static_cast<size_t>(-new_point), '0') + digits;
  if (static_cast<size_t>(new_point) >= digits.size())
    return sign + digits + std::string(static_cast<size_t>(new_point) - digits.size(), '0');
  return sign + digits.substr(0, static_cast<size_t>(new_point)) + "." + digits.substr(static_cast<size_t>(new_point));
}

inline std::string format_number(double value) {
  std::ostringstream out;
  out.imbue(std::locale::classic());
  out << value;
  return out.str();
}

// "90s" for 90000; the largest unit that divides the duration.
inline std::string format_duration_ms(int64_t ms) {
  const std::pair<const char*, int64_t> units[] = {{"d", 86400000}, {"h", 3600000}, {"m", 60000}, {"s", 1000}};
  for (const auto& [name, size] : units)
    if (ms != 0 && ms % size == 0) return std::to_string(ms / size) + name;
  return std::to_string(ms) + "ms";
}

}  // namespace detail

class Options {
 public:
  // Parses `json`, which must be a JSON object; empty text is an empty
  // object. `plugin` starts every message (empty: nothing); `noun` names the
  // keys in messages ("option", "parameter").
  explicit Options(std::string_view json, std::string plugin = {}, std::string noun = "option")
      : root_(std::make_shared<detail::JsonValue>()), plugin_(std::move(plugin)), noun_(std::move(noun)) {
    detail::JsonValue& root = *root_;
    if (json.empty()) {
      root.type = detail::JsonValue::Type::object;
    } else if (auto error = detail::JsonParser(json).parse(root)) {
      throw std::invalid_argument(prefix() + noun_ + "s: not valid JSON: " + *error);
    } else if (root.type != detail::JsonValue::Type::object) {
      throw std::invalid_argument(prefix() + noun_ + "s: must be a JSON object, got " + shown(root));
    }
    object_ = root_.get();
    nouns_.assign(object_->keys.size(), noun_);
  }

  // A rule's parameters for one position: its config `options_json` (the
  // defaults) with `params_json` (the position's own, from the signal)
  // laid over them. Each key of params_json replaces the option of that name
  // whole (a nested object is replaced, not merged; a null stays a null);
  // the other options stay. Either text may be empty. Refuses a text that is
  // not a JSON object ("options: ..." or "parameters: ...") and, options
  // first, every key outside `allowed`. The merged keys are named "option"
  // or "parameter" in messages after where they came from.
  static Options merge(std::string_view options_json, std::string_view params_json,
                       std::initializer_list<std::string_view> allowed, std::string plugin = {}) {
    Options out(options_json, plugin, "option");
    out.allow(allowed);
    Options params(params_json, plugin, "parameter");
    params.allow(allowed);
    detail::JsonValue& root = *out.root_;
    for (size_t i = 0; i < params.object_->keys.size(); ++i) {
      const std::string& key = params.object_->keys[i];
      size_t at = out.index(key);
      if (at == kAbsent) {
        root.keys.push_back(key);
        root.items.push_back(params.object_->items[i]);
        out.nouns_.push_back("parameter");
      } else {
        root.items[at] = params.object_->items[i];
        out.nouns_[at] = "parameter";
      }
    }
    out.noun_ = "parameter";  // a key neither gave is missing from the position's parameters
    return out;
  }

  // Whether `key` is present (even as null).
  bool has(std::string_view key) const { return find(key) != nullptr; }

  // Refuses, now, every key outside `keys` (and those asked for already).
  void allow(std::initializer_list<std::string_view> keys) const {
    for (std::string_view key : keys) remember(key);
    finish();
  }

  // The same, for a list of keys built at run time (keys shared by several
  // plugins, plus each one's own).
  void allow(const std::vector<std::string>& keys) const {
    for (const std::string& key : keys) remember(key);
    finish();
  }

  // Refuses every key present that no getter, has() or allow() asked for.
  void finish() const {
    std::vector<std::string> unknown;
    for (const std::string& key : object_->keys)
      if (std::find(asked_.begin(), asked_.end(), key) == asked_.end()) unknown.push_back(path_ + key);
    if (unknown.empty()) return;
    std::vector<std::string> known = asked_;
    std::sort(known.begin(), known.end());
    std::string list, known_list;
    for (const std::string& key : unknown) list += (list.empty() ? "" : ", ") + key;
    for (const std::string& key : known) known_list += (known_list.empty() ? "" : ", ") + key;
    const std::string& noun = nouns_[index(unknown.front().substr(path_.size()))];
    std::string plural = unknown.size() > 1 ? "s" : "";
    throw std::invalid_argument(prefix() + noun + plural + " " + list + ": unknown " + noun + plural +
                                " (known: " + (known_list.empty() ? "none" : known_list) + ")");
  }

  // Throws the reader's error for `key`: "<plugin>: option <key>: <why>".
  // For checks of the plugin's own ("'EURUSD' listed twice").
  [[noreturn]] void fail(std::string_view key, std::string_view why) const {
    throw std::invalid_argument(where(key) + ": " + std::string(why));
  }

  std::string string(std::string_view key, std::string fallback) const {
    const detail::JsonValue* v = find(key);
    return v ? read_string(key, *v) : fallback;
  }
  std::string required_string(std::string_view key) const { return read_string(key, need(key)); }

  // A non-empty string refused in the plugin's words, for a value with a
  // form of its own: string("listen", "127.0.0.1:8080", "\"HOST:PORT\"")
  // refuses 8080 with "expected \"HOST:PORT\", got 8080".
  std::string string(std::string_view key, std::string fallback, std::string_view expected) const {
    const detail::JsonValue* v = find(key);
    if (!v) return fallback;
    if (v->type != detail::JsonValue::Type::string || v->text.empty())
      refuse(key, *v, "expected " + std::string(expected));
    return v->text;
  }

  // One of `choices`; refused otherwise with "expected a, b or c".
  std::string one_of(std::string_view key, std::initializer_list<std::string_view> choices,
                     std::string fallback) const {
    const detail::JsonValue* v = find(key);
    if (!v) return fallback;
    for (std::string_view choice : choices)
      if (v->type == detail::JsonValue::Type::string && v->text == choice) return v->text;
    std::string list;
    size_t i = 0;
    for (std::string_view choice : choices) {
      if (i > 0) list += i + 1 == choices.size() ? " or " : ", ";
      list += choice;
      ++i;
    }
    refuse(key, *v, "expected " + list);
  }

  bool boolean(std::string_view key, bool fallback) const {
    const detail::JsonValue* v = find(key);
    if (!v) return fallback;
    if (v->type != detail::JsonValue::Type::boolean) refuse(key, *v, "expected true or false");
    return v->boolean;
  }

  int64_t integer(std::string_view key, int64_t fallback, int64_t min = std::numeric_limits<int64_t>::min(),
                  int64_t max = std::numeric_limits<int64_t>::max()) const {
    const detail::JsonValue* v = find(key);
    return v ? read_integer(key, *v, min, max) : fallback;
  }
  int64_t required_integer(std::string_view key, int64_t min = std::numeric_limits<int64_t>::min(),
                           int64_t max = std::numeric_limits<int64_t>::max()) const {
    return read_integer(key, need(key), min, max);
  }

  double number(std::string_view key, double fallback, double min = -std::numeric_limits<double>::infinity(),
                double max = std::numeric_limits<double>::infinity()) const {
    const detail::JsonValue* v = find(key);
    return v ? read_number(key, *v, min, max) : fallback;
  }
  double required_number(std::string_view key, double min = -std::numeric_limits<double>::infinity(),
                         double max = std::numeric_limits<double>::infinity()) const {
    return read_number(key, need(key), min, max);
  }

  int64_t duration_ms(std::string_view key, int64_t fallback, int64_t min_ms = 1,
                      int64_t max_ms = std::numeric_limits<int64_t>::max()) const {
    const detail::JsonValue* v = find(key);
    return v ? read_duration(key, *v, min_ms, max_ms) : fallback;
  }
  int64_t required_duration_ms(std::string_view key, int64_t min_ms = 1,
                               int64_t max_ms = std::numeric_limits<int64_t>::max()) const {
    return read_duration(key, need(key), min_ms, max_ms);
  }

  int64_t time_ms(std::string_view key, int64_t fallback) const {
    const detail::JsonValue* v = find(key);
    return v ? read_time(key, *v) : fallback;
  }
  int64_t required_time_ms(std::string_view key) const { return read_time(key, need(key)); }

  int64_t price(std::string_view key, int digits, int64_t fallback) const {
    const detail::JsonValue* v = find(key);
    return v ? read_price(key, *v, digits) : fallback;
  }
  int64_t required_price(std::string_view key, int digits) const { return read_price(key, need(key), digits); }

  int64_t distance(std::string_view key, int digits, int64_t fallback) const {
    const detail::JsonValue* v = find(key);
    return v ? read_distance(key, *v, digits) : fallback;
  }
  int64_t required_distance(std::string_view key, int digits) const { return read_distance(key, need(key), digits); }

  // The mapping at `key`, read like this one; absent: an empty one.
  Options object(std::string_view key) const {
    const detail::JsonValue* v = find(key);
    if (!v) return child(empty_object(), path_ + std::string(key) + ".", noun_);
    if (v->type != detail::JsonValue::Type::object) refuse(key, *v, "expected a mapping");
    return child(v, path_ + std::string(key) + ".", noun_of(key));
  }

  // The non-empty list of mappings at `key`; absent: none.
  std::vector<Options> objects(std::string_view key) const {
    const detail::JsonValue* v = find(key);
    if (!v) return {};
    if (v->type != detail::JsonValue::Type::array || v->items.empty())
      refuse(key, *v, "expected a non-empty list of mappings");
    std::vector<Options> out;
    for (size_t i = 0; i < v->items.size(); ++i) {
      std::string at = std::string(key) + "[" + std::to_string(i) + "]";
      if (v->items[i].type != detail::JsonValue::Type::object) refuse(at, v->items[i], "expected a mapping");
      out.push_back(child(&v->items[i], path_ + at + ".", noun_of(key)));
    }
    return out;
  }

 private:
  using Type = detail::JsonValue::Type;
  static constexpr size_t kAbsent = static_cast<size_t>(-1);

  Options() = default;

  Options child(const detail::JsonValue* object, std::string path, std::string noun) const {
    Options out;
    out.root_ = root_;
    out.object_ = object;
    out.plugin_ = plugin_;
    out.noun_ = std::move(noun);
    out.path_ = std::move(path);
    out.nouns_.assign(object->keys.size(), out.noun_);
    return out;
  }
  static const detail::JsonValue* empty_object() {
    static const detail::JsonValue empty = [] {
      detail::JsonValue object;
      object.type = Type::object;
      return object;
    }();
    return &empty;
  }

  std::string prefix() const { return plugin_.empty() ? std::string() : plugin_ + ": "; }
  const std::string& noun_of(std::string_view key) const {
    size_t at = index(key);
    return at == kAbsent ? noun_ : nouns_[at];
  }
  std::string where(std::string_view key) const { return prefix() + noun_of(key) + " " + path_ + std::string(key); }

  // What the value was, for "got ..." (strings shortened).
  static std::string shown(const detail::JsonValue& v) {
    switch (v.type) {
      case Type::null:
        return "null";
      case Type::boolean:
        return v.boolean ? "true" : "false";
      case Type::number:
        return v.text;
      case Type::string:
        return v.text.size() > 40 ? "\"" + v.text.substr(0, 37) + "...\"" : "\"" + v.text + "\"";
      case Type::array:
        return "a list";
      case Type::object:
        return "a mapping";
    }
    return "a value";
  }
  [[noreturn]] void refuse(std::string_view key, const detail::JsonValue& v, const std::string& expected) const {
    fail(key, expected + ", got " + shown(v));
  }

  void remember(std::string_view key) const {
    if (std::find(asked_.begin(), asked_.end(), key) == asked_.end()) asked_.emplace_back(key);
  }
  size_t index(std::string_view key) const {
    for (size_t i = 0; i < object_->keys.size(); ++i)
      if (object_->keys[i] == key) return i;
    return kAbsent;
  }
  const detail::JsonValue* find(std::string_view key) const {
    remember(key);
    size_t at = index(key);
    return at == kAbsent ? nullptr : &object_->items[at];
  }
  const detail::JsonValue& need(std::string_view key) const {
    const detail::JsonValue* v = find(key);
    if (!v) fail(key, "missing");
    return *v;
  }

  std::string read_string(std::string_view key, const detail::JsonValue& v) const {
    if (v.type != Type::string || v.text.empty()) refuse(key, v, "expected a non-empty string");
    return v.text;
  }

  static std::optional<int64_t> parse_int64(std::string_view text) {
    bool negative = !text.empty() && text[0] == '-';
    if (negative) text.remove_prefix(1);
    if (text.empty()) return std::nullopt;
    uint64_t magnitude = 0;
    const uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
    for (char c : text) {
      if (c < '0' || c > '9') return std::nullopt;
      uint64_t digit = static_cast<uint64_t>(c - '0');
      if (magnitude > (limit - digit) / 10) return std::nullopt;
      magnitude = magnitude * 10 + digit;
    }
    return negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
  }

  int64_t read_integer(std::string_view key, const detail::JsonValue& v, int64_t min, int64_t max) const {
    std::optional<int64_t> n = v.type == Type::number ? parse_int64(v.text) : std::nullopt;
    if (!n || *n < min || *n > max) {
      constexpr int64_t lowest = std::numeric_limits<int64_t>::min(), highest = std::numeric_limits<int64_t>::max();
      std::string range = min == lowest && max == highest ? ""
                          : max == highest                ? " of at least " + std::to_string(min)
                          : min == lowest                 ? " of at most " + std::to_string(max)
                                          : " from " + std::to_string(min) + " to " + std::to_string(max);
      refuse(key, v, "expected an integer" + range);
    }
    return *n;
  }

  double read_number(std::string_view key, const detail::JsonValue& v, double min, double max) const {
    std::string_view text = v.type == Type::number || v.type == Type::string ? std::string_view(v.text) : "";
    double n = 0;
    bool ok = !text.empty() && detail::JsonParser::number_length(text) == text.size();
    if (ok) {
      std::istringstream in{std::string(text)};
      in.imbue(std::locale::classic());
      ok = static_cast<bool>(in >> n) && n >= min && n <= max;
    }
    if (!ok) {
      constexpr double inf = std::numeric_limits<double>::infinity();
      std::string range = min == -inf && max == inf ? ""
                          : max == inf              ? " of at least " + detail::format_number(min)
                          : min == -inf             ? " of at most " + detail::format_number(max)
                                        : " from " + detail::format_number(min) + " to " + detail::format_number(max);
      refuse(key, v, "expected a number" + range);
    }
    return n;
  }

  int64_t read_duration(std::string_view key, const detail::JsonValue& v, int64_t min_ms, int64_t max_ms) const {
    std::optional<int64_t> ms;
    auto scaled = [](std::optional<int64_t> amount, int64_t unit) -> std::optional<int64_t> {
      if (!amount || *amount < 0 || *amount > std::numeric_limits<int64_t>::max() / unit) return std::nullopt;
      return *amount * unit;
    };
    if (v.type == Type::number) ms = scaled(parse_int64(v.text), 1000);
    if (v.type == Type::string) {
      std::string_view text = v.text;
      size_t digits = 0;
      while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
      std::string_view unit = text.substr(digits);
      const std::pair<const char*, int64_t> units[] = {
          {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}};
      for (const auto& [name, size] : units)
        if (digits > 0 && unit == name) ms = scaled(parse_int64(text.substr(0, digits)), size);
    }
    if (!ms || *ms < min_ms || *ms > max_ms) {
      std::string expected = "expected a duration";
      if (max_ms != std::numeric_limits<int64_t>::max())
        expected += " from " + detail::format_duration_ms(min_ms) + " to " + detail::format_duration_ms(max_ms);
      else if (min_ms == 1)
        expected = "expected a positive duration";
      else if (min_ms > 1)
        expected += " of at least " + detail::format_duration_ms(min_ms);
      refuse(key, v, expected + " (\"250ms\", \"90s\", \"15m\", \"4h\", \"2d\" or a number of seconds)");
    }
    return *ms;
  }

  int64_t read_time(std::string_view key, const detail::JsonValue& v) const {
    std::optional<int64_t> at;
    if (v.type == Type::string) at = parse_time(v.text);
    if (v.type == Type::number) at = parse_int64(v.text);
    if (!at) refuse(key, v, "expected ISO-8601 UTC (\"2024-01-02T21:00:00Z\") or unix milliseconds");
    return *at;
  }

  // A decimal at `digits`, from a string or a number's text; may be 0 or
  // negative (the callers say what they allow).
  int64_t read_decimal(std::string_view key, const detail::JsonValue& v, int digits, const char* expected) const {
    std::optional<std::string> text;
    if (v.type == Type::string) text = v.text;
    if (v.type == Type::number) text = detail::plain_decimal(v.text);
    if (v.type == Type::number && !text) fail(key, "'" + v.text + "' " + describe(DecimalError::out_of_range));
    if (!text) refuse(key, v, expected);
    ParsedDecimal parsed = parse_decimal(*text, digits);
    if (!parsed.ok()) fail(key, "'" + v.text + "' " + describe(*parsed.error));
    return parsed.value;
  }

  int64_t read_price(std::string_view key, const detail::JsonValue& v, int digits) const {
    int64_t price = read_decimal(key, v, digits, "expected a price (\"1.10500\")");
    if (price <= 0) refuse(key, v, "expected a positive price");
    return price;
  }

  int64_t read_distance(std::string_view key, const detail::JsonValue& v, int digits) const {
    const char* expected = "expected a price (\"0.00050\") or {\"points\": N}";
    if (v.type == Type::object) {
      if (v.keys.size() != 1 || v.keys[0] != "points") refuse(key, v, expected);
      std::optional<int64_t> points =
          v.items[0].type == Type::number ? parse_int64(v.items[0].text) : std::optional<int64_t>();
      if (!points || *points < 0)
        throw std::invalid_argument(where(key) + ".points: expected an integer of at least 0, got " +
                                    shown(v.items[0]));
      return *points;
    }
    int64_t distance = read_decimal(key, v, digits, expected);
    if (distance < 0) refuse(key, v, "must not be negative");
    return distance;
  }

  std::shared_ptr<detail::JsonValue> root_;  // shared with children, changed only while built
  const detail::JsonValue* object_ = nullptr;
  std::string plugin_;
  std::string noun_;
  std::string path_;                // "symbols[1]." for a mapping inside a list
  std::vector<std::string> nouns_;  // per key of object_
  mutable std::vector<std::string> asked_;
};

}  // namespace vigil::sdk
