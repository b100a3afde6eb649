#include "sqlite_errors.hpp"

#include <string>

#include "constraint_failure.hpp"
#include "vigil/cpp/error.hpp"

namespace vigil::store::sqlite {
namespace {

// SQLite's constraint texts: "UNIQUE constraint failed: t.c", "CHECK
// constraint failed: name", "NOT NULL constraint failed: t.c".
std::string after(const std::string& text, std::string_view prefix) {
  size_t at = text.find(prefix);
  return at == std::string::npos ? std::string() : text.substr(at + prefix.size());
}

[[noreturn]] void throw_constraint(int extended, const std::string& text) {
  using Kind = ConstraintFailure::Kind;
  switch (extended) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      throw ConstraintFailure(Kind::unique, after(text, "constraint failed: "), text);
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      throw ConstraintFailure(Kind::foreign_key, "", text);
    case SQLITE_CONSTRAINT_CHECK:
      throw ConstraintFailure(Kind::check, after(text, "constraint failed: "), text);
    case SQLITE_CONSTRAINT_NOTNULL: {
      std::string column = after(text, "constraint failed: ");
      throw ConstraintFailure(Kind::not_null, column.substr(column.find('.') + 1), text);
    }
    default:
      throw ConstraintFailure(Kind::refused, "", text);
  }
}

vigil_status status_of(int primary) {
  switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_PROTOCOL:
      return VIGIL_UNAVAILABLE;
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
    case SQLITE_MISMATCH:
      return VIGIL_INVALID_ARGUMENT;
    default:
      return VIGIL_INTERNAL;
  }
}

}  // namespace

void throw_error(sqlite3* db, int rc, std::string_view doing) {
  int extended = (rc > 0xff || !db) ? rc : sqlite3_extended_errcode(db);
  std::string text = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if ((rc & 0xff) == SQLITE_CONSTRAINT) throw_constraint(extended, text);
  throw sdk::Error(status_of(rc & 0xff), std::string(doing) + ": " + text);
}

}  // namespace vigil::store::sqlite
