// The `vigil` commands that read a store refuse one that does not exist,
// in one line naming the missing file, and leave nothing behind: before,
// `vigil audit verify` on a config whose SQLite file was missing created an
// empty database and printed "audit chain verified: 0 rows", exit 0.
// `vigil migrate` is the command that creates a store.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using vigil::test::built_binary;
using vigil::test::ProcessResult;
using vigil::test::run_process;

namespace {

class MissingStore : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = (dir_.path() / "data" / "vigil.db").string();
    std::string key = dir_.write("master.key", std::string(64, 'a') + "\n");
    std::filesystem::permissions(key, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    config_ = dir_.write("vigil.yaml",
                         "store: {plugin: store-sqlite, options: {data_dir: " + (dir_.path() / "data").string() +
                             ", path: vigil.db}}\ncipher: {plugin: cipher-sodium, options: {key_file: " + key + "}}\n");
  }
  ProcessResult vigil(std::vector<std::string> args) const {
    args.insert(args.begin(), built_binary("vigil"));
    args.insert(args.end(), {"--config", config_});
    return run_process(args);
  }
  // One line on stderr, naming the file; nothing on stdout; nothing created.
  void expect_refused(const ProcessResult& r, const std::string& command) const {
    EXPECT_NE(r.exit_code, 0) << r.out;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.rfind("vigil " + command + ": ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(db_ + ": no such database file"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(db_));
    EXPECT_FALSE(std::filesystem::exists(dir_.path() / "data")) << "not even its directory";
  }

  vigil::test::TempDir dir_;
  std::string db_, config_;
};

TEST_F(MissingStore, AuditVerifyRefusesIt) {
  ProcessResult r = vigil({"audit", "verify"});
  EXPECT_EQ(r.exit_code, 2);
  expect_refused(r, "audit");
}

TEST_F(MissingStore, RekeyRefusesIt) {
  ProcessResult r = vigil({"rekey"});
  EXPECT_EQ(r.exit_code, 1);
  expect_refused(r, "rekey");
}

TEST_F(MissingStore, MigrateCreatesItAndThenVerifyReadsIt) {
  ProcessResult migrate = vigil({"migrate"});
  ASSERT_EQ(migrate.exit_code, 0) << migrate.err;
  EXPECT_TRUE(std::filesystem::exists(db_));
  ProcessResult verify = vigil({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_EQ(verify.out, "audit chain verified: 0 rows\n");
  EXPECT_EQ(vigil({"rekey"}).exit_code, 0);
}

}  // namespace
