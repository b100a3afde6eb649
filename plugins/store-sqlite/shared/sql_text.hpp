// The SQL of both dialects, built from the table descriptions. The dialects
// differ only in placeholders (SQLite ?1, PostgreSQL $1); the rest (upserts
// with ON CONFLICT ... DO UPDATE ... WHERE, row values) both understand.
#pragma once

#include <string>

#include "table.hpp"

namespace vigil::store {

enum class Dialect { sqlite, postgres };

std::string placeholder(Dialect d, int number);

// A table's write statements. Parameters are the written (non-generated)
// columns in order, so ?1 is the key. A versioned UPDATE or UPSERT changes
// the row only when its stored version is the record's minus one.
struct TableSql {
  std::string insert;
  std::string update;
  // UPDATE of every column but the key and stable_columns, changing the row
  // only when those hold the record's values (and, versioned, the version
  // rule holds). Empty for tables without stable_columns. When it changes
  // nothing, `update` decides (and explains).
  std::string update_stable;
  std::string upsert;
  std::string version;  // SELECT version (or 0) by key: a row's existence and version
  // Tables with a generated key (audit_log) only: INSERT of every column,
  // the key too, for the store that assigns it itself (the audit chain).
  std::string append;
};

// Built once per table and dialect.
const TableSql& table_sql(const Table& t, Dialect d);

}  // namespace vigil::store
