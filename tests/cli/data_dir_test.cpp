// One way to point vigild and every `vigil` command that works on the store
// at a data directory: --data-dir DIR. Without --config the commands use
// vigild's embedded default, so `vigil audit verify --data-dir DIR` reads
// what `vigild --data-dir DIR` wrote, with the master key vigild made there.
// A config's secrets.master_key_file is honoured by rekey as by vigild, and
// store-postgres, which keeps no files, ignores --data-dir with a warning.
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using vigil::test::built_binary;
using vigil::test::ProcessResult;
using vigil::test::run_process;

namespace {

ProcessResult run_vigil(std::vector<std::string> args) {
  args.insert(args.begin(), built_binary("vigil"));
  return run_process(args);
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class DataDir : public ::testing::Test {
 protected:
  // The embedded default's key comes from <data dir>/master.key only when
  // the environment holds none.
  void SetUp() override { ::unsetenv("VIGIL_MASTER_KEY"); }
  vigil::test::TempDir dir_;
  std::string data_ = (dir_.path() / "data").string();
};

}  // namespace

TEST_F(DataDir, TheStoreCommandsReadWhatVigildWroteThere) {
  vigil::test::ChildProcess vigild({built_binary("vigild"), "--listen", "127.0.0.1:0", "--data-dir", data_});
  ASSERT_TRUE(vigild.wait_for_output("vigild: listening on", 10000));
  vigild.send_signal(SIGTERM);
  ASSERT_EQ(vigild.wait(10000).exit_code, 0);
  ASSERT_TRUE(std::filesystem::exists(data_ + "/vigil.db"));
  ASSERT_TRUE(std::filesystem::exists(data_ + "/master.key"));

  ProcessResult verify = run_vigil({"audit", "verify", "--data-dir", data_});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_EQ(verify.out.rfind("audit chain verified: ", 0), 0u) << verify.out;
  ProcessResult migrate = run_vigil({"migrate", "--data-dir", data_});
  EXPECT_EQ(migrate.exit_code, 0) << migrate.err;
  EXPECT_EQ(migrate.out.rfind("schema version ", 0), 0u) << migrate.out;
  ProcessResult rekey = run_vigil({"rekey", "--data-dir", data_, "--batch", "10"});
  EXPECT_EQ(rekey.exit_code, 0) << rekey.err;
  EXPECT_TRUE(contains(rekey.out, "rekey: done\n")) << rekey.out;
}

TEST_F(DataDir, AMissingStoreIsRefusedByItsPathAndNotCreated) {
  ProcessResult r = run_vigil({"audit", "verify", "--data-dir", data_});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(contains(r.err, data_ + "/vigil.db: no such database file")) << r.err;
  EXPECT_FALSE(std::filesystem::exists(data_));
}

TEST_F(DataDir, RekeyWithoutTheMasterKeyOfTheDataDirNamesTheFileAndMakesNone) {
  ASSERT_EQ(run_vigil({"migrate", "--data-dir", data_}).exit_code, 0);
  ProcessResult r = run_vigil({"rekey", "--data-dir", data_});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, data_ + "/master.key")) << r.err;
  EXPECT_FALSE(std::filesystem::exists(data_ + "/master.key"));
}

TEST_F(DataDir, TheConfigsStoreIsMovedToTheDataDir) {
  std::string config = dir_.write("vigil.yaml", "store: {plugin: store-sqlite, options: {data_dir: " +
                                                    (dir_.path() / "elsewhere").string() + ", path: v.db}}\n");
  ASSERT_EQ(run_vigil({"migrate", "--config", config, "--data-dir", data_}).exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(data_ + "/v.db"));
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "elsewhere"));
  EXPECT_EQ(run_vigil({"audit", "verify", "--config", config, "--data-dir", data_}).out,
            "audit chain verified: 0 rows\n");
}

TEST_F(DataDir, RekeyAndTheStoreCommandsHonourSecretsMasterKeyFile) {
  std::string key = dir_.write("master.key", std::string(64, 'b') + "\n");
  std::filesystem::permissions(key, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::string config = dir_.write("vigil.yaml", "store: {plugin: store-sqlite, options: {data_dir: " + data_ +
                                                    ", path: vigil.db}}\ncipher: {plugin: cipher-sodium}\n"
                                                    "secrets: {master_key_file: " +
                                                    key + "}\n");
  ASSERT_EQ(run_vigil({"migrate", "--config", config}).exit_code, 0);
  EXPECT_EQ(run_vigil({"audit", "verify", "--config", config}).exit_code, 0);
  ProcessResult rekey = run_vigil({"rekey", "--config", config});
  EXPECT_EQ(rekey.exit_code, 0) << rekey.err;
  EXPECT_TRUE(contains(rekey.out, "rekey: done\n")) << rekey.out;

  std::string missing = (dir_.path() / "no-such.key").string();
  ProcessResult flag = run_vigil({"rekey", "--config", config, "--master-key-file", missing});
  EXPECT_EQ(flag.exit_code, 1);
  EXPECT_TRUE(contains(flag.err, missing)) << "--master-key-file wins over the config's: " << flag.err;
}

TEST_F(DataDir, StorePostgresIgnoresItWithAWarning) {
  // Nothing listens on port 1: the command gets as far as connecting, which
  // shows the store took its options without data_dir.
  std::string config = dir_.write(
      "pg.yaml", "store: {plugin: store-postgres, options: {dsn: 'host=127.0.0.1 port=1 connect_timeout=2'}}\n");
  ProcessResult vigil = run_vigil({"migrate", "--config", config, "--data-dir", data_});
  ProcessResult vigild = run_process({built_binary("vigild"), "--config", config, "--data-dir", data_});
  for (const ProcessResult& r : {vigil, vigild}) {
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.err, "--data-dir " + data_ + " ignored: store-postgres keeps its data in PostgreSQL"))
        << r.err;
    EXPECT_FALSE(contains(r.err, "unknown option")) << r.err;
    EXPECT_TRUE(contains(r.err, "127.0.0.1")) << "it got as far as connecting: " << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(data_));
}
