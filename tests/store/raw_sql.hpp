// Direct SQL against a store's database, bypassing the plugin: to show that
// the schema itself enforces an invariant, and to shape databases as an
// older version left them.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace vigil::test::store {

class RawSql {
 public:
  virtual ~RawSql() = default;
  // Runs one or more statements in autocommit; returns the database's error
  // text, empty on success.
  virtual std::string exec(const std::string& sql) = 0;
  // The first column of every row, as text ("" for NULL).
  virtual std::vector<std::string> column(const std::string& sql) = 0;
};

std::unique_ptr<RawSql> raw_sqlite(const std::string& file);
std::unique_ptr<RawSql> raw_postgres(const std::string& dsn);

}  // namespace vigil::test::store
