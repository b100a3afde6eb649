// Values between the store ABI's records and SQL, and result rows as both
// dialects hand them to the readers: one vocabulary, so the mapping of
// records to columns is written once (table.hpp) for SQLite and PostgreSQL.
#pragma once

#include <cstdint>
#include <string_view>

namespace vigil::store {

// A statement parameter. Text views borrow the caller's record.
struct Value {
  enum class Kind { null, text, integer };
  Kind kind = Kind::null;
  std::string_view text;
  int64_t integer = 0;

  // An empty string means "none" in the records, NULL in the tables.
  static Value of_text(std::string_view t) { return t.empty() ? Value{} : Value{Kind::text, t, 0}; }
  static Value of_integer(int64_t i) { return Value{Kind::integer, {}, i}; }
  bool is_null() const { return kind == Kind::null; }
};

// One result row with the table's columns in order. NULL reads as "" or 0.
// The views stay valid until the reader moves to the next row.
class Row {
 public:
  virtual ~Row() = default;
  virtual std::string_view text(int column) const = 0;
  virtual int64_t integer(int column) const = 0;
};

}  // namespace vigil::store
