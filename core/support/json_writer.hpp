// A JSON text written straight into a string, for answers of a fixed shape
// on hot paths (a page of 100 positions, an EA's close commands): a tree
// of nlohmann::json nodes first costs tens of allocations a row, and at a
// million rows in memory the allocator's cost grows with the heap
// (bench/README.md "reads").
//
// The caller keeps the shape right (a key before each member's value,
// begin and end paired); the writer places the commas. Strings are escaped
// as RFC 8259 asks, and bytes that are not well-formed UTF-8 are written as
// U+FFFD, so the text is always valid JSON whatever a row holds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::core {

class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  // The name of the object member whose value comes next.
  JsonWriter& key(std::string_view name);

  JsonWriter& string(std::string_view text);
  JsonWriter& number(int64_t value);
  JsonWriter& boolean(bool value);
  JsonWriter& null();
  // The rows keep an absent text empty: null then.
  JsonWriter& text_or_null(std::string_view text) { return text.empty() ? null() : string(text); }
  // A value already written as JSON text, placed as it is.
  JsonWriter& raw(std::string_view json);

  const std::string& text() const noexcept { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void before_value();
  void escape(std::string_view valid_utf8);

  std::string out_;
  // Per open object or array: whether it has a member yet (the next needs
  // a comma); after key(), the value needs none.
  std::vector<bool> has_member_;
  bool after_key_ = false;
};

}  // namespace vigil::core
