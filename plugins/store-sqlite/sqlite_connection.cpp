#include "sqlite_connection.hpp"

#include "sqlite_errors.hpp"

namespace vigil::store::sqlite {
namespace {

// Long enough to ride out another process's commit, short enough that a
// stuck writer surfaces as VIGIL_UNAVAILABLE instead of a hang.
constexpr int kBusyTimeoutMs = 5000;

std::string single_text(sqlite3* db, const char* sql) {
  Statement s(db, sql);
  int rc = sqlite3_step(s.handle());
  if (rc != SQLITE_ROW) throw_error(db, rc, sql);
  const unsigned char* text = sqlite3_column_text(s.handle(), 0);
  return text ? reinterpret_cast<const char*>(text) : "";
}

}  // namespace

Statement::Statement(sqlite3* db, const std::string& sql) : db_(db) {
  int rc = sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size() + 1), SQLITE_PREPARE_PERSISTENT, &stmt_,
                              nullptr);
  if (rc != SQLITE_OK) throw_error(db, rc, "preparing " + sql);
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Execution::Execution(Statement& statement, const std::vector<Value>& params)
    : statement_(statement), row_(statement.handle()) {
  sqlite3_stmt* s = statement.handle();
  for (size_t i = 0; i < params.size(); ++i) {
    const Value& v = params[i];
    int index = static_cast<int>(i) + 1, rc = SQLITE_OK;
    if (v.kind == Value::Kind::text)
      rc = sqlite3_bind_text(s, index, v.text.data(), static_cast<int>(v.text.size()), SQLITE_STATIC);
    else if (v.kind == Value::Kind::integer)
      rc = sqlite3_bind_int64(s, index, v.integer);
    else
      rc = sqlite3_bind_null(s, index);
    if (rc != SQLITE_OK) {
      sqlite3_clear_bindings(s);
      throw_error(statement.db(), rc, "binding parameter " + std::to_string(index));
    }
  }
}

Execution::~Execution() {
  sqlite3_reset(statement_.handle());
  sqlite3_clear_bindings(statement_.handle());
}

bool Execution::next() {
  int rc = sqlite3_step(statement_.handle());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw_error(statement_.db(), rc, "executing");
}

std::string_view Execution::StatementRow::text(int column) const {
  const unsigned char* data = sqlite3_column_text(stmt_, column);
  if (!data) return {};
  return {reinterpret_cast<const char*>(data), static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
}

int64_t Execution::StatementRow::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

Connection::Connection(const std::string& file, Role role, bool synchronous_full, bool create) {
  int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  int rc = sqlite3_open_v2(file.c_str(), &db_, flags, nullptr);
  try {
    if (rc != SQLITE_OK) throw_error(db_, rc, "opening " + file);
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    // Per connection, off by default in SQLite: without it the schema's
    // REFERENCES would be decoration.
    exec("PRAGMA foreign_keys = ON", "enabling foreign keys");
    // SQLite's default page cache (2 MiB) is smaller than the open positions
    // and their indexes: each group then re-reads pages from the OS, one
    // system call and copy each. Reads through a memory map cost neither.
    exec("PRAGMA cache_size = -65536", "sizing the page cache");
    exec("PRAGMA mmap_size = 1073741824", "mapping the database file");
    if (role == Role::writer) {
      if (single_text(db_, "PRAGMA journal_mode = WAL") != "wal")
        throw_error(nullptr, SQLITE_CANTOPEN, file + ": cannot switch to WAL (is it on a network file system?)");
      exec(synchronous_full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL", "setting synchronous");
    } else {
      exec("PRAGMA query_only = ON", "making a reader read-only");
    }
  } catch (...) {
    sqlite3_close(db_);
    throw;
  }
}

Connection::~Connection() {
  statements_.clear();
  sqlite3_close(db_);
}

void Connection::exec(const std::string& script, std::string_view doing) {
  int rc = sqlite3_exec(db_, script.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) throw_error(db_, rc, doing);
}

void Connection::rollback_quietly() noexcept {
  if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

Statement& Connection::prepare(const std::string& sql) {
  auto found = statements_.find(sql);
  if (found != statements_.end()) return *found->second;
  auto statement = std::make_unique<Statement>(db_, sql);
  return *statements_.emplace(sql, std::move(statement)).first->second;
}

}  // namespace vigil::store::sqlite
