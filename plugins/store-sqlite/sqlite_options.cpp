#include "sqlite_options.hpp"

#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "migration.hpp"
#include "vigil/cpp/error.hpp"
#include "vigil/cpp/options.hpp"

namespace vigil::store::sqlite {
namespace {

constexpr const char* kPlugin = "store-sqlite";

[[noreturn]] void fail(const std::string& key, const std::string& why) {
  throw std::invalid_argument(std::string(kPlugin) + ": option " + key + ": " + why);
}

}  // namespace

Options parse_options(const std::string& json_text) {
  sdk::Options o(json_text, kPlugin);
  // Up front, so that a misspelt key is named before what it left missing.
  o.allow({"path", "data_dir", "synchronous", "migrate_to", "create"});
  Options out;
  out.path = o.string("path", out.path);
  out.data_dir = o.string("data_dir", out.data_dir);
  if (!out.data_dir.empty() && std::filesystem::path(out.path).is_absolute())
    o.fail("data_dir",
           "path '" + out.path + "' is absolute, so it leaves no place for data_dir: give one or the other");
  out.synchronous_full = o.one_of("synchronous", {"full", "normal"}, "full") == "full";
  out.create = o.boolean("create", out.create);
  if (o.has("migrate_to")) {
    int64_t latest = latest_version(embedded_migrations());
    int64_t version = o.integer("migrate_to", 0);
    if (version < 0 || version > latest)
      o.fail("migrate_to",
             "expected a schema version from 0 to " + std::to_string(latest) + ", got " + std::to_string(version));
    out.migrate_to = version;
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
