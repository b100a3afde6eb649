// SQLite's result codes as the store's errors: a refused constraint becomes
// a ConstraintFailure (apply_writes adds the row's context), busy and I/O
// become VIGIL_UNAVAILABLE, the rest VIGIL_INTERNAL.
#pragma once

#include <sqlite3.h>

#include <string_view>

namespace vigil::store::sqlite {

// Throws for `rc` (not SQLITE_OK/ROW/DONE) on `db`; `doing` says what failed.
[[noreturn]] void throw_error(sqlite3* db, int rc, std::string_view doing);

}  // namespace vigil::store::sqlite
