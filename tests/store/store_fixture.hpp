// The conformance suite's fixture: every test runs once per store plugin
// (store-sqlite on a file in a temporary directory, store-postgres on a
// fresh schema of the throwaway server), through the same vtable calls.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "raw_sql.hpp"
#include "store_under_test.hpp"
#include "tests/support/temp_dir.hpp"

namespace vigil::test::store {

// One fresh, empty database and how to reach it.
class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string plugin() const = 0;
  virtual nlohmann::json options() const = 0;
  virtual std::unique_ptr<RawSql> raw() const = 0;
  // The migrations directory of this dialect, schemas/<dialect>.
  virtual std::string dialect() const = 0;
};

// "sqlite" or "postgres"; throws when the database cannot be had.
std::unique_ptr<Backend> make_backend(const std::string& kind);

// A new instance of the backend's plugin on its database (not migrated).
std::unique_ptr<StoreUnderTest> open_store(const Backend& backend,
                                           const nlohmann::json& extra_options = nlohmann::json::object());

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;

  // A new instance of the plugin on this test's database (not migrated).
  std::unique_ptr<StoreUnderTest> open(const nlohmann::json& extra_options = nlohmann::json::object()) const;
  // The test's store, created and migrated on first use.
  StoreUnderTest& store();
  RawSql& raw();
  // The number of migration files of this dialect.
  int64_t latest_version() const;
  bool is_postgres() const { return GetParam() == "postgres"; }

  std::unique_ptr<Backend> backend_;

 private:
  std::unique_ptr<StoreUnderTest> store_;
  std::unique_ptr<RawSql> raw_;
};

std::string store_param_name(const ::testing::TestParamInfo<std::string>& info);

// A client c1 with device d1 and signal s1, and open positions p1..pn on d1.
Group seed(int positions = 1);

}  // namespace vigil::test::store

// Declares a suite of StoreTest run against both plugins.
#define VIGIL_STORE_SUITE(Suite)                                                                            \
  using Suite = ::vigil::test::store::StoreTest;                                                            \
  INSTANTIATE_TEST_SUITE_P(Stores, Suite, ::testing::Values(std::string("sqlite"), std::string("postgres")),   \
                           ::vigil::test::store::store_param_name)
