// Each plugin's options: what they accept, and errors that name the key.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <thread>

#include "postgres_server.hpp"
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
           {R"({"path": ")" + file + R"(", "create": "no"})", "store-sqlite: option create: expected true or false"},
           {R"([1])", "store-sqlite: options: must be a JSON object, got a list"},
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

TEST(StorePostgresOptions, MistakesNameTheirKey) {
  std::string dsn = R"("dsn": "host=/nonexistent user=vigil")";
  unsetenv("VIGIL_TEST_UNSET_DSN");
  struct Case {
    std::string options, message;
  };
  for (const Case& c : std::vector<Case>{
           {"{" + dsn + R"(, "pool": 4})", "store-postgres: option pool: unknown option"},
           {"{" + dsn + R"(, "pool_size": 0})", "store-postgres: option pool_size: expected an integer from 1 to 64"},
           {"{" + dsn + R"(, "pool_size": "4"})", "store-postgres: option pool_size: expected an integer"},
           {"{" + dsn + R"(, "migrate_to": 999})", "store-postgres: option migrate_to: expected an integer from 0 to"},
           {"{" + dsn + R"(, "create": 0})", "store-postgres: option create: expected true or false"},
           {R"({"dsn": ""})", "store-postgres: option dsn: expected a non-empty string"},
           {"{" + dsn + R"(, "dsn_env": "X"})", "store-postgres: option dsn_env: give dsn or dsn_env, not both"},
           {R"({"dsn_env": "VIGIL_TEST_UNSET_DSN"})",
            "store-postgres: option dsn: not given, and the environment variable VIGIL_TEST_UNSET_DSN"},
           {R"("text")", "store-postgres: options: must be a JSON object, got \"text\""},
       }) {
    Result r = create_error("store-postgres", c.options);
    EXPECT_EQ(r.status, VIGIL_INVALID_ARGUMENT) << c.options;
    EXPECT_TRUE(contains(r.message, c.message)) << r.message;
  }
}

TEST(StorePostgresOptions, TheDsnComesFromTheVariableDsnEnvNames) {
  std::string dsn = PostgresServer::shared().fresh_dsn();
  setenv("VIGIL_TEST_STORE_DSN", dsn.c_str(), 1);
  StoreUnderTest named("store-postgres", R"({"dsn_env": "VIGIL_TEST_STORE_DSN"})");
  EXPECT_TRUE(named.migrate().ok());
  setenv("VIGIL_PG_DSN", dsn.c_str(), 1);
  StoreUnderTest by_default("store-postgres", "{}");
  EXPECT_TRUE(by_default.migrate().ok());
  unsetenv("VIGIL_PG_DSN");
  unsetenv("VIGIL_TEST_STORE_DSN");
}

TEST(StorePostgresOptions, AnUnreachableServerIsUnavailableAndTheMessageSaysWhy) {
  Result r = create_error("store-postgres", R"({"dsn": "host=/nonexistent-dir user=vigil password=s3cret"})");
  EXPECT_EQ(r.status, VIGIL_UNAVAILABLE) << r.message;
  EXPECT_TRUE(contains(r.message, "cannot connect to PostgreSQL")) << r.message;
  EXPECT_TRUE(contains(r.message, "/nonexistent-dir")) << r.message;
  EXPECT_FALSE(contains(r.message, "s3cret")) << r.message;
}

TEST(StorePostgresOptions, APoolOfOneServesManyThreads) {
  std::string dsn = PostgresServer::shared().fresh_dsn();
  StoreUnderTest s("store-postgres", R"({"dsn": ")" + dsn + R"(", "pool_size": 1})");
  ASSERT_TRUE(s.migrate().ok());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        Group g;
        g.insert(client("c" + std::to_string(t) + "-" + std::to_string(i)));
        if (!s.apply(g).ok() || s.all<Client>().empty()) ++failures;
      }
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(s.all<Client>().size(), 40u);
}

}  // namespace
}  // namespace vigil::test::store
