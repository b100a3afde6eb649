// One PostgreSQL connection with its prepared statements. Used by one thread
// at a time (leased from the pool). Statements are prepared on first use
// under names of their own, so the SQL built from the table descriptions
// is parsed and planned once per connection.
#pragma once

#include <pqxx/pqxx>
#include <string>
#include <unordered_map>
#include <vector>

#include "value.hpp"

namespace vigil::store::postgres {

// A result row as the shared readers see it. NULL reads as "" or 0.
class ResultRow final : public Row {
 public:
  explicit ResultRow(const pqxx::row& row) : row_(row) {}
  std::string_view text(int column) const override;
  int64_t integer(int column) const override;

 private:
  // A copy (a handle sharing the result), not a reference: `ResultRow
  // row(result[0])` outlives the temporary row that indexing returns.
  pqxx::row row_;
};

class Connection {
 public:
  // Throws sdk::Error (VIGIL_UNAVAILABLE) when the server cannot be reached.
  explicit Connection(const std::string& dsn);

  pqxx::connection& raw() { return connection_; }
  // Runs `sql` as a prepared statement in `txn` with `params`.
  pqxx::result exec(pqxx::transaction_base& txn, const std::string& sql, const std::vector<Value>& params);
  // False once the connection broke: the pool then drops it.
  bool usable() const { return usable_ && connection_.is_open(); }
  void mark_broken() { usable_ = false; }

 private:
  const std::string& statement_name(const std::string& sql);
  pqxx::connection connection_;
  std::unordered_map<std::string, std::string> names_;
  bool usable_ = true;
};

}  // namespace vigil::store::postgres
