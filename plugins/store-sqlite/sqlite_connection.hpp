// One SQLite connection with its cache of prepared statements. A connection
// is used by one thread at a time (opened SQLITE_OPEN_NOMUTEX): the writer
// under the store's write mutex, a reader while leased from the pool.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "value.hpp"

namespace vigil::store::sqlite {

class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  sqlite3_stmt* handle() const { return stmt_; }
  sqlite3* db() const { return db_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// One execution of a cached statement: binds on construction, resets (and
// so releases the read snapshot and the views of the last row) on
// destruction.
class Execution {
 public:
  Execution(Statement& statement, const std::vector<Value>& params);
  ~Execution();
  Execution(const Execution&) = delete;
  Execution& operator=(const Execution&) = delete;

  bool next();  // steps; true while there is a row
  const Row& row() const { return row_; }

 private:
  class StatementRow : public Row {
   public:
    explicit StatementRow(sqlite3_stmt* s) : stmt_(s) {}
    std::string_view text(int column) const override;
    int64_t integer(int column) const override;

   private:
    sqlite3_stmt* stmt_;
  };
  Statement& statement_;
  StatementRow row_;
};

class Connection {
 public:
  enum class Role { writer, reader };
  // `create` false: the file must exist (SQLite would otherwise make an empty one).
  Connection(const std::string& file, Role role, bool synchronous_full, bool create = true);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs a script of one or more statements; throws on failure.
  void exec(const std::string& script, std::string_view doing);
  // Rolls back an open transaction, if any; never throws.
  void rollback_quietly() noexcept;
  Statement& prepare(const std::string& sql);
  sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<Statement>> statements_;
};

}  // namespace vigil::store::sqlite
