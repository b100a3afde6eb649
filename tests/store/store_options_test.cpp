// Each plugin's options: what they accept, and errors that name the key.
#include <gtest/gtest.h>

#include <filesystem>

#include "store_under_test.hpp"
#include "tests/support/temp_dir.hpp"

namespace vigil::test::store {
namespace {

// The status and message of a create that fails.
Result create_error(const std::string& plugin, const std::string& options) {
  try {
    StoreUnderTest s(plugin, options);
  } catch (const core::ComponentError& e) {
    return {e.status(), e.what()};
  }
  return {};
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(StoreSqliteOptions, DataDirIsCreatedAndHoldsVigilDb) {
  TempDir dir;
  std::string data_dir = (dir.path() / "nested" / "data").string();
  StoreUnderTest s("store-sqlite", R"({"data_dir": ")" + data_dir + R"(", "synchronous": "normal"})");
  ASSERT_TRUE(s.migrate().ok());
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(data_dir) / "vigil.db"));
}

TEST(StoreSqliteOptions, ARelativePathLivesInDataDir) {
  TempDir dir;
  StoreUnderTest s("store-sqlite", R"({"data_dir": ")" + dir.path().string() + R"(", "path": "other.db"})");
  ASSERT_TRUE(s.migrate().ok());
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "other.db"));
}

TEST(StoreSqliteOptions, MistakesNameTheirKey) {
  TempDir dir;
  std::string file = (dir.path() / "x.db").string();
  struct Case {
    std::string options, message;
  };
  for (const Case& c : std::vector<Case>{
           {R"({"paht": "x.db"})", "store-sqlite: option paht: unknown option"},
           {R"({"path": ""})", "store-sqlite: option path: expected a non-empty string"},
           {R"({"path": "/abs.db", "data_dir": "/tmp"})", "store-sqlite: option data_dir: path '/abs.db' is absolute"},
           {R"({"path": ")" + file + R"(", "synchronous": "off"})", "store-sqlite: option synchronous: expected full or normal"},
           {R"({"path": ")" + file + R"(", "migrate_to": 999})", "store-sqlite: option migrate_to: expected a schema version from 0 to"},
           {R"([1])", "store-sqlite: option (all): expected a mapping"},
       }) {
    Result r = create_error("store-sqlite", c.options);
    EXPECT_EQ(r.status, VIGIL_INVALID_ARGUMENT) << c.options;
    EXPECT_TRUE(contains(r.message, c.message)) << r.message;
  }
}

TEST(StoreSqliteOptions, AnUnopenableFileIsUnavailable) {
  Result r = create_error("store-sqlite", R"({"path": "/nonexistent-dir/vigil.db"})");
  EXPECT_EQ(r.status, VIGIL_UNAVAILABLE) << r.message;
  EXPECT_TRUE(contains(r.message, "/nonexistent-dir/vigil.db")) << r.message;
}

}  // namespace
}  // namespace vigil::test::store
