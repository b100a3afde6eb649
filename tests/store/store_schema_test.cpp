// The invariants live in the schema, not only in the plugins' code: raw SQL
// that bypasses the plugin is refused by the database itself.
#include "store_fixture.hpp"

namespace vigil::test::store {
namespace {

VIGIL_STORE_SUITE(StoreSchema);

const char* kCommandColumns = "INSERT INTO close_commands (id, position_id, device_id, reason, status, created_at) ";

TEST_P(StoreSchema, TheDatabaseRefusesASecondLiveCommandInsertedDirectly) {
  ASSERT_TRUE(store().apply(seed(1)).ok());
  ASSERT_EQ(raw().exec(std::string(kCommandColumns) + "VALUES ('k1', 'p1', 'd1', 'sl_hit', 'pending', 1)"), "");
  std::string refused = raw().exec(std::string(kCommandColumns) + "VALUES ('k2', 'p1', 'd1', 'tp_hit', 'acknowledged', 2)");
  EXPECT_NE(refused, "");
  EXPECT_NE(refused.find(is_postgres() ? "close_commands_one_live" : "close_commands.position_id"), std::string::npos)
      << refused;
  EXPECT_EQ(raw().exec("UPDATE close_commands SET status = 'executed' WHERE id = 'k1'"), "");
  EXPECT_EQ(raw().exec(std::string(kCommandColumns) + "VALUES ('k2', 'p1', 'd1', 'tp_hit', 'acknowledged', 2)"), "");
}

TEST_P(StoreSchema, TheDatabaseRefusesRowsWithoutTheirParents) {
  ASSERT_TRUE(store().apply(seed(1)).ok());
  EXPECT_NE(raw().exec(std::string(kCommandColumns) + "VALUES ('k1', 'p9', 'd1', 'sl_hit', 'pending', 1)"), "");
  EXPECT_NE(raw().exec("INSERT INTO devices (id, client_id, secret_token, active, created_at) "
                       "VALUES ('d2', 'c9', 'x', 1, 0)"),
            "");
  EXPECT_NE(raw().exec("DELETE FROM clients WHERE id = 'c1'"), "");
}

TEST_P(StoreSchema, TheDatabaseRefusesUnknownStatesAndSides) {
  ASSERT_TRUE(store().apply(seed(1)).ok());
  EXPECT_NE(raw().exec("UPDATE positions SET state = 'bogus' WHERE id = 'p1'"), "");
  EXPECT_NE(raw().exec("UPDATE positions SET side = 0 WHERE id = 'p1'"), "");
  EXPECT_NE(raw().exec(std::string(kCommandColumns) + "VALUES ('k1', 'p1', 'd1', 'sl_hit', 'done', 1)"), "");
}

TEST_P(StoreSchema, TheDatabaseRefusesToRewriteOrRemoveAuditRows) {
  ASSERT_TRUE(store().apply(Group().insert(audit("p1", "opened"))).ok());
  std::string update = raw().exec("UPDATE audit_log SET action = 'rewritten'");
  EXPECT_NE(update.find("append-only"), std::string::npos) << update;
  std::string remove = raw().exec("DELETE FROM audit_log");
  EXPECT_NE(remove.find("append-only"), std::string::npos) << remove;
  if (is_postgres()) {
    EXPECT_NE(raw().exec("TRUNCATE audit_log").find("append-only"), std::string::npos);
  }
  EXPECT_EQ(raw().column("SELECT action FROM audit_log"), std::vector<std::string>{"opened"});
}

TEST_P(StoreSchema, AuditRowsInsertedDirectlyStillGetTheNextSeq) {
  ASSERT_TRUE(store().apply(Group().insert(audit("p1", "opened"))).ok());
  ASSERT_EQ(raw().exec("INSERT INTO audit_log (at, entity, entity_id, action, hash) "
                       "VALUES (1, 'position', 'p2', 'opened', 'h')"),
            "");
  ASSERT_TRUE(store().apply(Group().insert(audit("p3", "opened"))).ok());
  EXPECT_EQ(raw().column("SELECT seq FROM audit_log ORDER BY seq"), (std::vector<std::string>{"1", "2", "3"}));
}

TEST_P(StoreSchema, EveryAppliedMigrationIsRecorded) {
  (void)store();
  std::vector<std::string> expected;
  for (int64_t v = 1; v <= latest_version(); ++v) expected.push_back(std::to_string(v));
  EXPECT_EQ(raw().column("SELECT version FROM schema_migrations ORDER BY version"), expected);
}

}  // namespace
}  // namespace vigil::test::store
