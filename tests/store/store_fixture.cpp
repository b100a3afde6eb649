#include "store_fixture.hpp"

#include <filesystem>

#include "postgres_server.hpp"

namespace vigil::test::store {
namespace {

class SqliteBackend final : public Backend {
 public:
  std::string plugin() const override { return "store-sqlite"; }
  nlohmann::json options() const override { return {{"path", file()}}; }
  std::unique_ptr<RawSql> raw() const override { return raw_sqlite(file()); }
  std::string dialect() const override { return "sqlite"; }

 private:
  std::string file() const { return (dir_.path() / "vigil.db").string(); }
  TempDir dir_;
};

class PostgresBackend final : public Backend {
 public:
  PostgresBackend() : dsn_(PostgresServer::shared().fresh_dsn()) {}
  std::string plugin() const override { return "store-postgres"; }
  nlohmann::json options() const override { return {{"dsn", dsn_}}; }
  std::unique_ptr<RawSql> raw() const override { return raw_postgres(dsn_); }
  std::string dialect() const override { return "postgres"; }

 private:
  std::string dsn_;
};

}  // namespace

std::unique_ptr<Backend> make_backend(const std::string& kind) {
  if (kind == "sqlite") return std::make_unique<SqliteBackend>();
  return std::make_unique<PostgresBackend>();
}

void StoreTest::SetUp() {
  try {
    backend_ = make_backend(GetParam());
  } catch (const std::exception& e) {
    FAIL() << GetParam() << " database unavailable: " << e.what();
  }
}

std::unique_ptr<StoreUnderTest> open_store(const Backend& backend, const nlohmann::json& extra_options) {
  nlohmann::json options = backend.options();
  options.update(extra_options);
  return std::make_unique<StoreUnderTest>(backend.plugin(), options.dump());
}

std::unique_ptr<StoreUnderTest> StoreTest::open(const nlohmann::json& extra_options) const {
  return open_store(*backend_, extra_options);
}

StoreUnderTest& StoreTest::store() {
  if (!store_) {
    store_ = open();
    Result r = store_->migrate();
    if (!r.ok()) throw std::runtime_error("migrate failed: " + r.message);
  }
  return *store_;
}

RawSql& StoreTest::raw() {
  if (!raw_) raw_ = backend_->raw();
  return *raw_;
}

int64_t StoreTest::latest_version() const {
  int64_t n = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(VIGIL_SOURCE_DIR) / "schemas" / backend_->dialect()))
    n += entry.path().extension() == ".sql";
  return n;
}

std::string store_param_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

Group seed(int positions) {
  Group g;
  g.insert(client("c1")).insert(device("d1", "c1")).insert(signal("s1", "c1"));
  for (int i = 1; i <= positions; ++i)
    g.insert(position("p" + std::to_string(i), "s1", "d1", "c1", 1000 + i));
  return g;
}

}  // namespace vigil::test::store
