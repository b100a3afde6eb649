// libFuzzer target: the stores' checks of text on its way to SQL
// (plugins/store-sqlite/shared: write_check.cpp, query_plan.cpp; and
// store-postgres's array literals, pg_array.cpp), with both databases'
// rules as the reference:
// - a write is accepted only if every text column is valid UTF-8 without
//   NUL (PostgreSQL refuses the rest; SQLite is held to the same), and one
//   with such a column is always refused;
// - an accepted write's parameters survive PostgreSQL's array literal:
//   parsed back as PostgreSQL reads it, each element is the value again;
// - a query's SQL has one placeholder per parameter, in both dialects.
//
// Input: the first line is "<entity> <op> <after_seq> <limit>" (numbers;
// the entity 1-7 of vigil/store.h), each further line one column's value
// (integers as decimal text). The record is built by the table's own row
// binding, as a query result would be.
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <vector>

#include "plugins/store-postgres/pg_array.hpp"
#include "query_plan.hpp"
#include "tests/fuzz/fuzz_support.hpp"
#include "write_check.hpp"

namespace {

using vigil::store::Value;

// Well-formed UTF-8 by the Unicode standard's table 3-7, written apart from
// write_check.cpp's decoder on purpose; NUL refused as well.
bool storable(std::string_view s) {
  size_t i = 0;
  auto in = [&](size_t k, unsigned lo, unsigned hi) {
    return i + k < s.size() && static_cast<unsigned char>(s[i + k]) >= lo && static_cast<unsigned char>(s[i + k]) <= hi;
  };
  while (i < s.size()) {
    unsigned c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    if (c >= 0x01 && c <= 0x7F)
      n = 1;
    else if (c >= 0xC2 && c <= 0xDF && in(1, 0x80, 0xBF))
      n = 2;
    else if (c == 0xE0 && in(1, 0xA0, 0xBF) && in(2, 0x80, 0xBF))
      n = 3;
    else if (((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) && in(1, 0x80, 0xBF) && in(2, 0x80, 0xBF))
      n = 3;
    else if (c == 0xED && in(1, 0x80, 0x9F) && in(2, 0x80, 0xBF))
      n = 3;
    else if (c == 0xF0 && in(1, 0x90, 0xBF) && in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF))
      n = 4;
    else if (c >= 0xF1 && c <= 0xF3 && in(1, 0x80, 0xBF) && in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF))
      n = 4;
    else if (c == 0xF4 && in(1, 0x80, 0x8F) && in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF))
      n = 4;
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// A PostgreSQL array literal as the server reads it (quoted elements with
// backslash escapes, unquoted NULL and numbers); nullopt for NULL.
std::vector<std::optional<std::string>> parse_array(const std::string& literal) {
  std::vector<std::optional<std::string>> out;
  if (literal.size() < 2 || literal.front() != '{' || literal.back() != '}') std::abort();
  size_t i = 1;
  while (i < literal.size() - 1) {
    if (literal[i] == '"') {
      std::string element;
      for (++i; literal.at(i) != '"'; ++i) element += literal[i] == '\\' ? literal.at(++i) : literal[i];
      out.emplace_back(element);
      ++i;
    } else {
      size_t end = literal.find_first_of(",}", i);
      std::string bare = literal.substr(i, end - i);
      out.emplace_back(bare == "NULL" ? std::nullopt : std::optional<std::string>(bare));
      i = end;
    }
    if (literal[i] == ',') ++i;
  }
  return out;
}

std::optional<std::string> expected(const Value& v) {
  if (v.is_null()) return std::nullopt;
  return v.kind == Value::Kind::integer ? std::to_string(v.integer) : std::string(v.text);
}

// Each parameter of an accepted write, alone in an array and with a
// neighbour, read back by PostgreSQL's rules.
void check_array(const std::vector<Value>& params) {
  std::string literal = "{";
  for (const Value& v : params) vigil::store::postgres::append_array_element(literal, v);
  literal += '}';
  std::vector<std::optional<std::string>> back = parse_array(literal);
  if (back.size() != params.size()) std::abort();
  for (size_t i = 0; i < params.size(); ++i)
    if (back[i] != expected(params[i])) std::abort();
}

class FuzzRow final : public vigil::store::Row {
 public:
  explicit FuzzRow(std::vector<std::string> values) : values_(std::move(values)) {}
  std::string_view text(int column) const override {
    return static_cast<size_t>(column) < values_.size() ? values_[static_cast<size_t>(column)] : std::string_view();
  }
  int64_t integer(int column) const override { return std::strtoll(std::string(text(column)).c_str(), nullptr, 10); }

 private:
  std::vector<std::string> values_;
};

struct Attempt {
  int32_t op;
  const vigil::store::Table* table;
  const FuzzRow* row;
};

// Called with the record the table's binding built from the row.
vigil_status on_record(void* ctx, int32_t entity, const void* record) {
  const Attempt& a = *static_cast<const Attempt*>(ctx);
  bool any_bad = false;
  for (size_t i = 0; i < a.table->columns.size(); ++i)
    if (!a.table->columns[i].integer && !a.table->columns[i].generated)
      any_bad = any_bad || !storable(a.row->text(static_cast<int>(i)));
  vigil_store_write write{sizeof write, entity, a.op, record};
  std::vector<vigil::store::CheckedWrite> group;
  try {
    group = vigil::store::check_group(&write, 1);
  } catch (const std::invalid_argument& e) {
    vigil::fuzz::require_prefix(e.what(), "write 0: ");
    return VIGIL_OK;
  }
  if (any_bad) std::abort();  // text neither database would store was let through
  for (const Value& v : group.front().params)
    if (v.kind == Value::Kind::text && !storable(v.text)) std::abort();
  check_array(group.front().params);
  return VIGIL_OK;
}

size_t count_placeholders(const std::string& sql, char mark) {
  size_t n = 0;
  for (size_t i = 0; i + 1 < sql.size(); ++i) n += sql[i] == mark && sql[i + 1] >= '1' && sql[i + 1] <= '9';
  return n;
}

void check_query(int32_t entity, const std::vector<std::string>& values, int64_t after_seq, int64_t limit) {
  auto str = [&](size_t i) {
    return i < values.size() ? vigil_str{values[i].data(), values[i].size()} : vigil_str{nullptr, 0};
  };
  vigil_store_query q{sizeof q, entity, str(0), str(1), str(2), after_seq, limit};
  for (auto [dialect, mark] : {std::pair{vigil::store::Dialect::sqlite, '?'}, {vigil::store::Dialect::postgres, '$'}}) {
    try {
      vigil::store::QueryPlan plan = vigil::store::plan_query(q, dialect);
      if (count_placeholders(plan.sql, mark) != plan.params.size()) std::abort();
    } catch (const std::invalid_argument& e) {
      if (std::string_view(e.what()).empty()) std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = vigil::fuzz::text(data, size);
  size_t newline = text.find('\n');
  std::string head(text.substr(0, newline));
  std::vector<std::string> values;
  for (size_t at = newline; at != std::string_view::npos;) {
    size_t next = text.find('\n', at + 1);
    values.emplace_back(text.substr(at + 1, next == std::string_view::npos ? std::string_view::npos : next - at - 1));
    at = next;
  }
  long long entity = 0, op = 0, after_seq = 0, limit = 0;
  if (std::sscanf(head.c_str(), "%lld %lld %lld %lld", &entity, &op, &after_seq, &limit) < 2) return 0;
  if (entity < VIGIL_ENTITY_CLIENT || entity > VIGIL_ENTITY_META) return 0;
  const vigil::store::Table& table = vigil::store::table_of(static_cast<int32_t>(entity));
  FuzzRow row(values);
  Attempt attempt{static_cast<int32_t>(op), &table, &row};
  vigil_store_visitor visitor{sizeof visitor, &attempt, on_record};
  table.visit(row, table.entity, visitor);
  check_query(table.entity, values, after_seq, limit);
  return 0;
}
