// `vigil migrate` and `vigil audit verify` from the outside, the real binary
// on each store's database: migrate an empty database, verify an intact
// chain, and name the first broken row after tampering with raw SQL (the
// append-only triggers dropped first, as an attacker with the database's
// credentials would).
#include <algorithm>

#include "store_fixture.hpp"
#include "tests/support/process.hpp"

namespace vigil::test::store {
namespace {

VIGIL_STORE_SUITE(StoreCommands);

class Cli {
 public:
  explicit Cli(const Backend& backend)
      : config_(dir_.write("vigil.yaml", "store:\n  plugin: " + backend.plugin() +
                                             "\n  options: " + backend.options().dump() + "\n")) {}
  ProcessResult run(std::vector<std::string> args) const {
    args.insert(args.begin(), built_binary("vigil"));
    return run_process(args);
  }
  ProcessResult migrate() const { return run({"migrate", "--config", config_}); }
  ProcessResult verify() const { return run({"audit", "verify", "--config", config_}); }

 private:
  TempDir dir_;
  std::string config_;
};

// Six audit rows over three groups.
void append_rows(StoreUnderTest& s) {
  ASSERT_TRUE(s.apply(Group().insert(audit("p1", "opened")).insert(audit("p2", "opened"))).ok());
  ASSERT_TRUE(s.apply(Group().insert(audit("p1", "closing")).insert(audit("p1", "closed"))).ok());
  ASSERT_TRUE(s.apply(Group().insert(audit("p2", "closing")).insert(audit("p2", "closed"))).ok());
}

std::string drop_trigger(bool postgres, const std::string& sqlite_trigger) {
  return postgres ? "DROP TRIGGER audit_log_append_only ON audit_log;" : "DROP TRIGGER " + sqlite_trigger + ";";
}

TEST_P(StoreCommands, MigrateBringsAnEmptyDatabaseToTheLatestVersionAndSaysWhich) {
  Cli cli(*backend_);
  ProcessResult r = cli.migrate();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "schema version " + std::to_string(latest_version()) + "\n");
  EXPECT_EQ(raw().column("SELECT count(*) FROM schema_migrations"),
            std::vector<std::string>{std::to_string(latest_version())});
  EXPECT_EQ(cli.migrate().out, r.out) << "migrating again is a no-op";
}

TEST_P(StoreCommands, MigrateRefusesADatabaseNewerThanThePlugin) {
  Cli cli(*backend_);
  ASSERT_EQ(cli.migrate().exit_code, 0);
  ASSERT_EQ(raw().exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, '099_future', 0)"), "");
  ProcessResult r = cli.migrate();
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("schema version 99, newer than this plugin's " + std::to_string(latest_version())),
            std::string::npos)
      << r.err;
}

TEST_P(StoreCommands, VerifyAcceptsAnIntactChain) {
  Cli cli(*backend_);
  ASSERT_EQ(cli.migrate().exit_code, 0);
  EXPECT_EQ(cli.verify().out, "audit chain verified: 0 rows\n");
  append_rows(store());
  ProcessResult r = cli.verify();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "audit chain verified: 6 rows\n");
}

// Before this, verify created the missing store and passed it ("0 rows"):
// a verification that could not fail. A store never migrated (no SQLite
// file; a PostgreSQL database without the schema) is refused in one line,
// and verify leaves it as it was.
TEST_P(StoreCommands, VerifyRefusesAStoreThatDoesNotExistAndCreatesNothing) {
  Cli cli(*backend_);
  ProcessResult r = cli.verify();
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(is_postgres() ? "the database holds no Vigil store" : "no such database file"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(cli.verify().exit_code, 2) << "the first verify made no store";
  ASSERT_EQ(cli.migrate().exit_code, 0);
  EXPECT_EQ(cli.verify().out, "audit chain verified: 0 rows\n");
}

TEST_P(StoreCommands, VerifyNamesARowWhoseContentWasRewritten) {
  append_rows(store());
  ASSERT_EQ(raw().exec(drop_trigger(is_postgres(), "audit_log_no_update") +
                       "UPDATE audit_log SET detail_json = '{\"why\":\"forged\"}' WHERE seq = 3"),
            "");
  ProcessResult r = Cli(*backend_).verify();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out, "audit chain broken at seq 3: hash does not match the row's content\n");
}

TEST_P(StoreCommands, VerifyNamesTheNextRowWhenARewrittenRowWasRehashed) {
  append_rows(store());
  Audit row = store().query<Audit>({.after_seq = 2, .limit = 1}).at(0);
  row.action = "forged";
  ASSERT_EQ(raw().exec(drop_trigger(is_postgres(), "audit_log_no_update") +
                       "UPDATE audit_log SET action = 'forged', hash = '" + chain_hash(row) + "' WHERE seq = 3"),
            "");
  ProcessResult r = Cli(*backend_).verify();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out, "audit chain broken at seq 4: prev_hash is not the hash of the row before\n");
}

TEST_P(StoreCommands, VerifyNamesTheRowAfterADeletedOne) {
  append_rows(store());
  ASSERT_EQ(raw().exec(drop_trigger(is_postgres(), "audit_log_no_delete") + "DELETE FROM audit_log WHERE seq = 2"), "");
  ProcessResult r = Cli(*backend_).verify();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out, "audit chain broken at seq 3: expected seq 2 (rows are missing)\n");
}

TEST(StoreCommandsUsage, MistakesAreUsageErrorsAndAConfigWithoutAStoreIsRefused) {
  TempDir dir;
  std::string no_store = dir.write("rules.yaml", "rules:\n  - plugin: rule-sltp\n");
  auto vigil = [](std::vector<std::string> args) {
    args.insert(args.begin(), built_binary("vigil"));
    return run_process(args);
  };
  EXPECT_EQ(vigil({"migrate", "--bogus"}).exit_code, 64);
  EXPECT_EQ(vigil({"migrate", "--config", no_store, "now"}).exit_code, 64);
  EXPECT_EQ(vigil({"audit", "--config", no_store}).exit_code, 64);
  EXPECT_EQ(vigil({"audit", "check", "--config", no_store}).exit_code, 64);
  ProcessResult r = vigil({"migrate", "--config", no_store});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("the config names no store"), std::string::npos) << r.err;
  EXPECT_EQ(vigil({"audit", "verify", "--config", no_store}).exit_code, 2);
}

}  // namespace
}  // namespace vigil::test::store
