#include "sqlite_options.hpp"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <system_error>

#include "migration.hpp"
#include "vigil/cpp/error.hpp"

namespace vigil::store::sqlite {
namespace {

[[noreturn]] void fail(const std::string& key, const std::string& why) {
  throw std::invalid_argument("store-sqlite: option " + key + ": " + why);
}

std::string text(const nlohmann::json& json, const char* key) {
  if (!json[key].is_string() || json[key].get<std::string>().empty()) fail(key, "expected a non-empty string");
  return json[key];
}

}  // namespace

Options parse_options(const std::string& json_text) {
  nlohmann::json json = nlohmann::json::parse(json_text.empty() ? "{}" : json_text, nullptr, false);
  if (!json.is_object()) fail("(all)", "expected a mapping");
  for (const auto& [key, value] : json.items())
    if (key != "path" && key != "data_dir" && key != "synchronous" && key != "migrate_to" && key != "create")
      fail(key, "unknown option");
  Options out;
  if (json.contains("path")) out.path = text(json, "path");
  if (json.contains("data_dir")) out.data_dir = text(json, "data_dir");
  if (!out.data_dir.empty() && std::filesystem::path(out.path).is_absolute())
    fail("data_dir", "path '" + out.path + "' is absolute, so it leaves no place for data_dir: give one or the other");
  if (json.contains("synchronous")) {
    std::string mode = text(json, "synchronous");
    if (mode != "full" && mode != "normal") fail("synchronous", "expected full or normal");
    out.synchronous_full = mode == "full";
  }
  if (json.contains("create")) {
    if (!json["create"].is_boolean()) fail("create", "expected true or false");
    out.create = json["create"].get<bool>();
  }
  if (json.contains("migrate_to")) {
    int64_t latest = latest_version(embedded_migrations());
    if (!json["migrate_to"].is_number_integer() || json["migrate_to"].get<int64_t>() < 0 ||
        json["migrate_to"].get<int64_t>() > latest)
      fail("migrate_to", "expected a schema version from 0 to " + std::to_string(latest));
    out.migrate_to = json["migrate_to"].get<int64_t>();
  }
  return out;
}

std::string database_file(const Options& options) {
  if (!options.create) {
    std::string file = (std::filesystem::path(options.data_dir) / options.path).string();
    std::error_code error;
    if (!std::filesystem::exists(file, error))
      throw sdk::Error(VIGIL_NOT_FOUND, "store-sqlite: " + file +
                                            ": no such database file (this command reads a store and never "
                                            "creates one; vigil migrate does)");
    return file;
  }
  if (options.data_dir.empty()) return options.path;
  std::error_code error;
  std::filesystem::create_directories(options.data_dir, error);
  if (error) fail("data_dir", "cannot create " + options.data_dir + ": " + error.message());
  return (std::filesystem::path(options.data_dir) / options.path).string();
}

}  // namespace vigil::store::sqlite
