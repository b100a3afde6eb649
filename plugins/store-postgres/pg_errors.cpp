#include "pg_errors.hpp"

#include <pqxx/pqxx>
#include <string>

#include "constraint_failure.hpp"
#include "pg_connection.hpp"
#include "vigil/cpp/error.hpp"

namespace vigil::store::postgres {
namespace {

// PostgreSQL names the constraint in its message: ... constraint "name";
// a not-null failure names the column: null value in column "name" ...
std::string quoted_after(const std::string& text, std::string_view marker) {
  size_t at = text.find(marker);
  if (at == std::string::npos) return {};
  size_t start = at + marker.size(), end = text.find('"', start);
  return end == std::string::npos ? std::string() : text.substr(start, end - start);
}

ConstraintFailure constraint_failure(const pqxx::sql_error& e) {
  using Kind = ConstraintFailure::Kind;
  const std::string text = e.what();
  const std::string& state = e.sqlstate();
  if (state == "23505") return {Kind::unique, quoted_after(text, "constraint \""), text};
  if (state == "23503") return {Kind::foreign_key, quoted_after(text, "constraint \""), text};
  if (state == "23514") return {Kind::check, quoted_after(text, "constraint \""), text};
  if (state == "23502") return {Kind::not_null, quoted_after(text, "column \""), text};
  return {Kind::refused, "", text};
}

vigil_status status_of(const std::string& sqlstate) {
  std::string_view kind = std::string_view(sqlstate).substr(0, 2);
  // 40: serialization failure, deadlock; 53: out of resources; 57: shutdown,
  // cancel; 08: connection.
  if (kind == "40" || kind == "53" || kind == "57" || kind == "08") return VIGIL_UNAVAILABLE;
  if (kind == "22") return VIGIL_INVALID_ARGUMENT;  // data exception: a value the column cannot hold
  return VIGIL_INTERNAL;
}

std::string first_line(const char* text) {
  std::string out = text;
  if (out.rfind("ERROR:  ", 0) == 0) out.erase(0, 8);
  size_t end = out.find('\n');
  return end == std::string::npos ? out : out.substr(0, end);
}

}  // namespace

void throw_unreachable(const std::exception& e) {
  throw sdk::Error(VIGIL_UNAVAILABLE, "store-postgres: cannot connect to PostgreSQL: " + first_line(e.what()));
}

void rethrow_translated(Connection& connection, std::string_view doing) {
  std::string what(doing);
  try {
    throw;
  } catch (const sdk::Error&) {
    throw;
  } catch (const ConstraintFailure&) {
    throw;
  } catch (const pqxx::integrity_constraint_violation& e) {
    throw constraint_failure(e);
  } catch (const pqxx::sql_error& e) {
    throw sdk::Error(status_of(e.sqlstate()), what + ": " + first_line(e.what()));
  } catch (const pqxx::in_doubt_error& e) {
    connection.mark_broken();
    throw sdk::Error(VIGIL_UNAVAILABLE, what +
                                            ": the connection broke during COMMIT, so whether the group was "
                                            "written is unknown: " +
                                            first_line(e.what()));
  } catch (const pqxx::broken_connection& e) {
    connection.mark_broken();
    throw sdk::Error(VIGIL_UNAVAILABLE, what + ": the connection to PostgreSQL broke: " + first_line(e.what()));
  } catch (const pqxx::failure& e) {
    throw sdk::Error(VIGIL_INTERNAL, what + ": " + first_line(e.what()));
  }
}

}  // namespace vigil::store::postgres
