// A query as SQL: which filters its entity takes (by id, by owner, by
// states, audit after a seq), in a stable order, with an optional limit.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sql_text.hpp"

namespace vigil::store {

struct QueryPlan {
  const Table* table = nullptr;
  std::string sql;
  std::vector<Value> params;  // borrow from the query: valid during the call
};

// The states of a query's "a,b,c" filter, trimmed, empty items dropped.
std::vector<std::string_view> split_states(std::string_view text);

// Throws std::invalid_argument naming the filter the entity does not take,
// or the state it does not know (a typo would otherwise select nothing).
QueryPlan plan_query(const vigil_store_query& query, Dialect dialect);

// Throws std::invalid_argument for a visitor the store cannot call.
void check_visitor(const vigil_store_visitor& visitor);

// Hands one row to the visitor; throws sdk::Error with the visitor's status
// when it asks to stop.
void visit_row(const Table& table, const Row& row, const vigil_store_visitor& visitor);

}  // namespace vigil::store
