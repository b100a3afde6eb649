// PostgreSQL's errors as the store's: a refused constraint becomes a
// ConstraintFailure (apply_writes adds the row's context), a lost
// connection, a deadlock or an overloaded server VIGIL_UNAVAILABLE (worth a
// retry), bad data VIGIL_INVALID_ARGUMENT, the rest VIGIL_INTERNAL.
#pragma once

#include <exception>
#include <string_view>

namespace vigil::store::postgres {

class Connection;

// The server cannot be reached: VIGIL_UNAVAILABLE with libpq's reason.
[[noreturn]] void throw_unreachable(const std::exception& e);

// Call inside a catch block: rethrows the exception being handled as the
// store's. A connection that broke (or whose commit is in doubt) is marked
// so the pool drops it. `doing` says what failed.
[[noreturn]] void rethrow_translated(Connection& connection, std::string_view doing);

}  // namespace vigil::store::postgres
