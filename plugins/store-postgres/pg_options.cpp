#include "pg_options.hpp"

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "migration.hpp"

namespace vigil::store::postgres {
namespace {

constexpr const char* kDefaultDsnEnv = "VIGIL_PG_DSN";
constexpr int kMaxPoolSize = 64;

[[noreturn]] void fail(const std::string& key, const std::string& why) {
  throw std::invalid_argument("store-postgres: option " + key + ": " + why);
}

std::string text(const nlohmann::json& json, const char* key) {
  if (!json[key].is_string() || json[key].get<std::string>().empty()) fail(key, "expected a non-empty string");
  return json[key];
}

int64_t integer(const nlohmann::json& json, const char* key, int64_t low, int64_t high) {
  const nlohmann::json& v = json[key];
  if (!v.is_number_integer() || v.get<int64_t>() < low || v.get<int64_t>() > high)
    fail(key, "expected an integer from " + std::to_string(low) + " to " + std::to_string(high));
  return v.get<int64_t>();
}

std::string dsn_from(const nlohmann::json& json) {
  if (json.contains("dsn")) {
    if (json.contains("dsn_env")) fail("dsn_env", "give dsn or dsn_env, not both");
    return text(json, "dsn");
  }
  std::string variable = json.contains("dsn_env") ? text(json, "dsn_env") : kDefaultDsnEnv;
  const char* value = std::getenv(variable.c_str());
  if (!value || !*value)
    fail("dsn", "not given, and the environment variable " + variable +
                    " (named by option dsn_env) is not set: give the PostgreSQL connection string in one of them");
  return value;
}

}  // namespace

Options parse_options(const std::string& json_text) {
  nlohmann::json json = nlohmann::json::parse(json_text.empty() ? "{}" : json_text, nullptr, false);
  if (!json.is_object()) fail("(all)", "expected a mapping");
  for (const auto& [key, value] : json.items())
    if (key != "dsn" && key != "dsn_env" && key != "pool_size" && key != "migrate_to" && key != "create")
      fail(key, "unknown option");
  Options out;
  out.dsn = dsn_from(json);
  if (json.contains("pool_size")) out.pool_size = static_cast<int>(integer(json, "pool_size", 1, kMaxPoolSize));
  if (json.contains("create")) {
    if (!json["create"].is_boolean()) fail("create", "expected true or false");
    out.create = json["create"].get<bool>();
  }
  if (json.contains("migrate_to"))
    out.migrate_to = integer(json, "migrate_to", 0, latest_version(embedded_migrations()));
  return out;
}

}  // namespace vigil::store::postgres
