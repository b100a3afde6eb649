// How each entity of store.h maps to its table: columns in order, which are
// required, which filters a query may use, which rows it references. Both
// store plugins build their SQL and bind their records from these
// descriptions, so the two dialects cannot drift apart column by column.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "value.hpp"
#include "vigil/store.h"

namespace vigil::store {

struct Column {
  const char* name;
  bool integer;    // else text
  bool required;   // a write without it is refused (VIGIL_INVALID_ARGUMENT)
  bool generated;  // assigned by the database, never written (audit seq)
};

// A foreign key: `column` holds the id of a `noun` row of `table`.
struct Parent {
  const char* column;
  const char* table;
  const char* noun;
};

// A unique rule beyond the primary key, named so errors can say what it means.
struct UniqueRule {
  const char* index;   // the index name (what PostgreSQL reports)
  const char* column;  // its column (what SQLite reports, as table.column)
  const char* noun;    // what the column holds, e.g. "position"
  const char* what;    // e.g. "already has a live close command"
};

struct Table {
  int32_t entity = 0;
  const char* name = nullptr;  // SQL table
  const char* noun = nullptr;  // "position", for messages
  std::vector<Column> columns{};  // [0] is the key
  const char* order_by = nullptr;
  const char* owner_column = nullptr;  // query.owner_id filters on it; null: no such filter
  const char* state_column = nullptr;  // query.states filters on it; null: no such filter
  std::vector<std::string_view> states{};  // the values state_column may hold
  bool versioned = false;    // has `version`; updates need stored == record - 1
  bool append_only = false;  // INSERT only
  std::vector<Parent> parents{};
  // Columns that updates almost never change but that indexes and foreign
  // keys hold (a position's signal, device, client, created_at). SQLite
  // rewrites every index, and re-checks every foreign key, whose columns an
  // UPDATE's SET names, changed or not: updates first try a statement that
  // leaves these out and requires them unchanged (TableSql::update_stable).
  std::vector<const char*> stable_columns{};
  std::vector<UniqueRule> unique_rules{};
  size_t record_size = 0;
  // Every column's value, in order, borrowing from the record.
  void (*values)(const void* record, std::vector<Value>& out) = nullptr;
  // Builds the record from a row and hands it to the visitor.
  vigil_status (*visit)(const Row& row, int32_t entity, const vigil_store_visitor& visitor) = nullptr;
  // Checks beyond required columns (enumerations); throws std::invalid_argument.
  void (*check)(const Table& table, const void* record) = nullptr;

  int index_of(std::string_view column) const;  // -1 when absent
  bool has_generated_key() const { return columns.front().generated; }
};

// The table of an entity; throws std::invalid_argument for an unknown one.
const Table& table_of(int32_t entity);

// The entity descriptions, one file each under entities/.
Table client_table();
Table device_table();
Table signal_table();
Table position_table();
Table command_table();
Table audit_table();
Table meta_table();

}  // namespace vigil::store
