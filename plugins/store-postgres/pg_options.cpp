#include "pg_options.hpp"

#include <cstdlib>
#include <stdexcept>

#include "migration.hpp"
#include "vigil/cpp/options.hpp"

namespace vigil::store::postgres {
namespace {

constexpr const char* kDefaultDsnEnv = "VIGIL_PG_DSN";
constexpr int kMaxPoolSize = 64;

std::string dsn_from(const sdk::Options& o) {
  if (o.has("dsn")) {
    if (o.has("dsn_env")) o.fail("dsn_env", "give dsn or dsn_env, not both");
    return o.required_string("dsn");
  }
  std::string variable = o.string("dsn_env", kDefaultDsnEnv);
  const char* value = std::getenv(variable.c_str());
  if (!value || !*value)
    o.fail("dsn", "not given, and the environment variable " + variable +
                      " (named by option dsn_env) is not set: give the PostgreSQL connection string in one of them");
  return value;
}

}  // namespace

Options parse_options(const std::string& json_text) {
  sdk::Options o(json_text, "store-postgres");
  // Up front, so that a misspelt dsn is named rather than reported missing.
  o.allow({"dsn", "dsn_env", "pool_size", "migrate_to", "create"});
  Options out;
  out.dsn = dsn_from(o);
  out.pool_size = static_cast<int>(o.integer("pool_size", out.pool_size, 1, kMaxPoolSize));
  out.create = o.boolean("create", out.create);
  if (o.has("migrate_to")) out.migrate_to = o.required_integer("migrate_to", 0, latest_version(embedded_migrations()));
  return out;
}

}  // namespace vigil::store::postgres
