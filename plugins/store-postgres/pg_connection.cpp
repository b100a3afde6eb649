#include "pg_connection.hpp"

#include "pg_errors.hpp"

namespace vigil::store::postgres {

std::string_view ResultRow::text(int column) const {
  const pqxx::field f = row_[column];
  return f.is_null() ? std::string_view() : std::string_view(f.c_str(), f.size());
}

int64_t ResultRow::integer(int column) const {
  const pqxx::field f = row_[column];
  return f.is_null() ? 0 : f.as<int64_t>();
}

Connection::Connection(const std::string& dsn) try : connection_(dsn) {
} catch (const pqxx::broken_connection& e) {
  throw_unreachable(e);
}

pqxx::result Connection::exec(pqxx::transaction_base& txn, const std::string& sql, const std::vector<Value>& params) {
  // libpq takes NUL-terminated texts: the checked writes hold no NUL bytes.
  std::vector<std::string> texts(params.size());
  std::vector<const char*> values(params.size(), nullptr);
  for (size_t i = 0; i < params.size(); ++i) {
    const Value& v = params[i];
    if (v.kind == Value::Kind::null) continue;
    texts[i] = v.kind == Value::Kind::text ? std::string(v.text) : std::to_string(v.integer);
    values[i] = texts[i].c_str();
  }
  return txn.exec_prepared(statement_name(sql), pqxx::prepare::make_dynamic_params(values));
}

const std::string& Connection::statement_name(const std::string& sql) {
  auto found = names_.find(sql);
  if (found != names_.end()) return found->second;
  std::string name = "vigil_" + std::to_string(names_.size());
  connection_.prepare(name, sql);
  return names_.emplace(sql, std::move(name)).first->second;
}

}  // namespace vigil::store::postgres
