// Checks a group of writes before any of it reaches a database: the ABI
// structs, the operation, required fields, enumerations, text encoding. A bad
// record is the caller's mistake (VIGIL_INVALID_ARGUMENT) and never starts a
// transaction.
#pragma once

#include <string_view>
#include <vector>

#include "cluster_writes.hpp"
#include "table.hpp"

namespace vigil::store {

struct CheckedWrite {
  const Table* table = nullptr;
  int32_t op = 0;
  std::vector<Value> values;  // every column in order (a generated one is null)
  std::vector<Value> params;  // the written columns: the statement's parameters

  std::string_view key() const { return values.front().text; }
  Value column(const char* name) const { return values[static_cast<size_t>(table->index_of(name))]; }
};

// Throws std::invalid_argument naming the write, the table and the field.
// The values borrow from the caller's records: valid during apply only.
// FENCE and NONCE writes go to `cluster` (cluster_writes.hpp); without one
// (a store serving one host) they are refused.
std::vector<CheckedWrite> check_group(const vigil_store_write* writes, size_t count, ClusterWrites* cluster = nullptr);

// What both databases can hold: valid UTF-8 without NUL bytes.
bool is_storable_text(std::string_view s);

}  // namespace vigil::store
