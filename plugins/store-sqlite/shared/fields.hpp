// Generates a table's record binding from one list of (column, struct
// member) pairs: the same list writes the values of a record and builds a
// record from a row, so the two directions cannot disagree.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "table.hpp"
#include "vigil/cpp/error.hpp"

namespace vigil::store {

template <class R>
struct Field {
  const char* column;
  std::variant<vigil_str R::*, int64_t R::*, int32_t R::*> member;
  bool required = false;
  bool generated = false;
};

template <class R, const auto& Fields>
struct Binding {
  static void values(const void* record, std::vector<Value>& out) {
    const R& r = *static_cast<const R*>(record);
    for (const Field<R>& f : Fields) {
      if (auto* text = std::get_if<vigil_str R::*>(&f.member))
        out.push_back(Value::of_text(sdk::view(r.*(*text))));
      else if (auto* wide = std::get_if<int64_t R::*>(&f.member))
        out.push_back(Value::of_integer(r.*(*wide)));
      else
        out.push_back(Value::of_integer(r.*std::get<int32_t R::*>(f.member)));
    }
  }

  static vigil_status visit(const Row& row, int32_t entity, const vigil_store_visitor& visitor) {
    R r{};
    r.struct_size = sizeof(R);
    int column = 0;
    for (const Field<R>& f : Fields) {
      if (auto* text = std::get_if<vigil_str R::*>(&f.member))
        r.*(*text) = sdk::str(row.text(column));
      else if (auto* wide = std::get_if<int64_t R::*>(&f.member))
        r.*(*wide) = row.integer(column);
      else
        r.*std::get<int32_t R::*>(f.member) = static_cast<int32_t>(row.integer(column));
      ++column;
    }
    return visitor.on_record(visitor.ctx, entity, &r);
  }

  static std::vector<Column> columns() {
    std::vector<Column> out;
    for (const Field<R>& f : Fields)
      out.push_back({f.column, !std::holds_alternative<vigil_str R::*>(f.member), f.required, f.generated});
    return out;
  }
};

// Fills the binding part of `t` for records of type R described by Fields.
template <class R, const auto& Fields>
Table bind_fields(Table t) {
  t.columns = Binding<R, Fields>::columns();
  t.record_size = sizeof(R);
  t.values = &Binding<R, Fields>::values;
  t.visit = &Binding<R, Fields>::visit;
  return t;
}

// For checks: the value must be one of `allowed`.
void require_one_of(const Table& t, const char* column, std::string_view value,
                    const std::vector<std::string_view>& allowed);
// For checks: side is VIGIL_SIDE_BUY or VIGIL_SIDE_SELL.
void require_side(const Table& t, int32_t side);

}  // namespace vigil::store
