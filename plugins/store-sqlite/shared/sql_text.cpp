#include "sql_text.hpp"

#include <array>

namespace vigil::store {
namespace {

std::string assignments(const Table& t, Dialect d, const char* source_prefix) {
  std::string out;
  for (size_t i = 1; i < t.columns.size(); ++i) {
    out += (i > 1 ? ", " : "") + std::string(t.columns[i].name) + " = ";
    out += source_prefix ? std::string(source_prefix) + t.columns[i].name : placeholder(d, static_cast<int>(i) + 1);
  }
  return out;
}

std::string insert_sql(const Table& t, Dialect d, bool with_generated = false) {
  std::string names, values;
  int number = 0;
  for (const Column& c : t.columns) {
    if (c.generated && !with_generated) continue;
    std::string comma = number ? ", " : "";
    ++number;
    names += comma + c.name;
    values += comma + placeholder(d, number);
  }
  return "INSERT INTO " + std::string(t.name) + " (" + names + ") VALUES (" + values + ")";
}

std::string update_sql(const Table& t, Dialect d) {
  std::string key = t.columns.front().name;
  std::string sql = "UPDATE " + std::string(t.name) + " SET " + assignments(t, d, nullptr) + " WHERE " + key + " = " +
                    placeholder(d, 1);
  if (t.versioned) sql += " AND version = CAST(" + placeholder(d, t.index_of("version") + 1) + " AS BIGINT) - 1";
  return sql;
}

bool is_stable(const Table& t, const char* column) {
  for (const char* s : t.stable_columns)
    if (std::string_view(s) == column) return true;
  return false;
}

std::string update_stable_sql(const Table& t, Dialect d) {
  if (t.stable_columns.empty()) return "";
  std::string set, same;
  for (size_t i = 1; i < t.columns.size(); ++i) {
    std::string condition = std::string(t.columns[i].name) + " = " + placeholder(d, static_cast<int>(i) + 1);
    if (is_stable(t, t.columns[i].name))
      same += " AND " + condition;
    else
      set += (set.empty() ? "" : ", ") + condition;
  }
  std::string key = t.columns.front().name;
  std::string sql =
      "UPDATE " + std::string(t.name) + " SET " + set + " WHERE " + key + " = " + placeholder(d, 1) + same;
  if (t.versioned) sql += " AND version = CAST(" + placeholder(d, t.index_of("version") + 1) + " AS BIGINT) - 1";
  return sql;
}

std::string upsert_sql(const Table& t, Dialect d) {
  std::string sql = insert_sql(t, d) + " ON CONFLICT (" + t.columns.front().name + ") DO UPDATE SET " +
                    assignments(t, d, "excluded.");
  if (t.versioned) sql += " WHERE " + std::string(t.name) + ".version = excluded.version - 1";
  return sql;
}

std::string version_sql(const Table& t, Dialect d) {
  return "SELECT " + std::string(t.versioned ? "version" : "0") + " FROM " + t.name + " WHERE " +
         t.columns.front().name + " = " + placeholder(d, 1);
}

TableSql build(const Table& t, Dialect d) {
  if (t.has_generated_key()) return {insert_sql(t, d), "", "", "", "", insert_sql(t, d, true)};
  return {insert_sql(t, d), update_sql(t, d), update_stable_sql(t, d), upsert_sql(t, d), version_sql(t, d), ""};
}

}  // namespace

std::string placeholder(Dialect d, int number) {
  return (d == Dialect::sqlite ? "?" : "$") + std::to_string(number);
}

const TableSql& table_sql(const Table& t, Dialect d) {
  using All = std::array<std::array<TableSql, 7>, 2>;
  static const All all = [] {
    All out;
    for (int32_t e = VIGIL_ENTITY_CLIENT; e <= VIGIL_ENTITY_META; ++e) {
      out[0][static_cast<size_t>(e - 1)] = build(table_of(e), Dialect::sqlite);
      out[1][static_cast<size_t>(e - 1)] = build(table_of(e), Dialect::postgres);
    }
    return out;
  }();
  return all[d == Dialect::sqlite ? 0 : 1][static_cast<size_t>(t.entity - 1)];
}

}  // namespace vigil::store
