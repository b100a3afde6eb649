// Migrations: from an empty database, twice (a no-op), from each earlier
// version (a database left at version N by an older Vigil, shaped here with
// migrate_to), with data that an upgrade must carry over, by two migrators
// at once, and the refusal of a database newer than the plugin.
#include <map>
#include <thread>

#include "store_fixture.hpp"

namespace vigil::test::store {
namespace {

VIGIL_STORE_SUITE(StoreMigrations);

int64_t migrated_version(StoreUnderTest& s) {
  int64_t version = -1;
  Result r = s.migrate(&version);
  if (!r.ok()) throw std::runtime_error("migrate: " + r.message);
  return version;
}

// Every entity once, read back: the schema at the latest version works.
void expect_every_entity_works(StoreUnderTest& s) {
  Group g = seed(1);
  g.insert(command("k1", "p1", "d1")).insert(audit("p1", "opened")).insert(meta("k", "v"));
  Result r = s.apply(g);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(s.all<Position>().size(), 1u);
  EXPECT_EQ(s.all<Command>(), std::vector{command("k1", "p1", "d1")});
  EXPECT_EQ(s.all<Audit>().at(0).seq, 1);
  EXPECT_EQ(s.all<Meta>(), std::vector{meta("k", "v")});
  EXPECT_EQ(s.apply(Group().insert(command("k2", "p1", "d1"))).status, VIGIL_CONFLICT);
}

TEST_P(StoreMigrations, AnEmptyDatabaseIsMigratedToTheLatestVersion) {
  auto s = open();
  EXPECT_EQ(migrated_version(*s), latest_version());
  expect_every_entity_works(*s);
}

TEST_P(StoreMigrations, MigratingAgainIsANoOp) {
  auto first = open();
  ASSERT_EQ(migrated_version(*first), latest_version());
  ASSERT_TRUE(first->apply(seed(2)).ok());
  EXPECT_EQ(migrated_version(*first), latest_version());
  auto second = open();
  EXPECT_EQ(migrated_version(*second), latest_version());
  EXPECT_EQ(second->all<Position>().size(), 2u);
  EXPECT_EQ(raw().column("SELECT count(*) FROM schema_migrations"),
            std::vector<std::string>{std::to_string(latest_version())});
}

TEST_P(StoreMigrations, EachEarlierVersionIsMigratedToTheLatest) {
  for (int64_t from = 0; from < latest_version(); ++from) {
    SCOPED_TRACE("from version " + std::to_string(from));
    auto backend = make_backend(GetParam());
    auto old = open_store(*backend, {{"migrate_to", from}});
    ASSERT_EQ(migrated_version(*old), from);
    Result refused = old->apply(seed(0));
    EXPECT_EQ(refused.status, VIGIL_UNAVAILABLE) << refused.message;
    old.reset();
    auto current = open_store(*backend);
    ASSERT_EQ(migrated_version(*current), latest_version());
    expect_every_entity_works(*current);
  }
}

TEST_P(StoreMigrations, MigrateToBelowTheDatabaseVersionChangesNothing) {
  ASSERT_EQ(migrated_version(store()), latest_version());
  auto older = open({{"migrate_to", 1}});
  EXPECT_EQ(migrated_version(*older), latest_version());
}

// A database from before the one-live-command rule may hold several live
// commands per position: the upgrade keeps one and expires the others.
TEST_P(StoreMigrations, AnUpgradeKeepsDataAndExpiresDuplicateLiveCommands) {
  ASSERT_EQ(migrated_version(*open({{"migrate_to", 1}})), 1);
  ASSERT_EQ(raw().exec(
                "INSERT INTO clients (id, name, created_at) VALUES ('c1', 'C', 1);"
                "INSERT INTO devices (id, client_id, name, secret_token, active, created_at)"
                " VALUES ('d1', 'c1', 'T', 'secret', 1, 1);"
                "INSERT INTO signals (id, client_id, instrument, side, volume, created_at)"
                " VALUES ('s1', 'c1', 'EURUSD', 1, '0.10', 1);"
                "INSERT INTO positions (id, signal_id, device_id, client_id, instrument, side, state, version,"
                " volume, created_at) VALUES ('p1', 's1', 'd1', 'c1', 'EURUSD', 1, 'closing', 2, '0.10', 1),"
                " ('p2', 's1', 'd1', 'c1', 'EURUSD', 1, 'closing', 2, '0.10', 2);"
                "INSERT INTO close_commands (id, position_id, device_id, reason, expected_price, status, created_at)"
                " VALUES ('old', 'p1', 'd1', 'sl_hit', '1.09', 'pending', 100),"
                " ('new', 'p1', 'd1', 'sl_hit', '1.08', 'pending', 200),"
                " ('acked', 'p2', 'd1', 'tp_hit', '1.12', 'acknowledged', 100),"
                " ('later', 'p2', 'd1', 'tp_hit', '1.13', 'pending', 200),"
                " ('done', 'p2', 'd1', 'manual', '', 'executed', 50);"),
            "");
  auto s = open();
  ASSERT_EQ(migrated_version(*s), latest_version());
  std::map<std::string, std::string> status;
  for (const Command& c : s->query<Command>({.owner = "d1"})) status[c.id] = c.status;
  EXPECT_EQ(status, (std::map<std::string, std::string>{
                        {"old", "expired"}, {"new", "pending"}, {"acked", "acknowledged"}, {"later", "expired"},
                        {"done", "executed"}}));
  Command kept = s->query<Command>({.id = "new"}).at(0);
  EXPECT_EQ(kept.expected_price, "1.08");
  EXPECT_EQ(kept.version, 0);
  EXPECT_EQ(kept.attempts, 0);
  EXPECT_EQ(kept.level, "");
  EXPECT_NE(s->query<Command>({.id = "old"}).at(0).error_message.find("migration 002"), std::string::npos);
  EXPECT_EQ(s->all<Position>().size(), 2u);
  EXPECT_EQ(s->apply(Group().insert(command("k3", "p1", "d1"))).status, VIGIL_CONFLICT);
}

TEST_P(StoreMigrations, ADatabaseNewerThanThePluginIsRefused) {
  ASSERT_EQ(migrated_version(store()), latest_version());
  ASSERT_EQ(raw().exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, '099_future', 0)"), "");
  auto s = open();
  int64_t version = -1;
  Result r = s->migrate(&version);
  EXPECT_EQ(r.status, VIGIL_CONFLICT);
  EXPECT_NE(r.message.find("schema version 99, newer than this plugin's " + std::to_string(latest_version())),
            std::string::npos)
      << r.message;
  Result refused = s->apply(seed(0));
  EXPECT_EQ(refused.status, VIGIL_UNAVAILABLE) << refused.message;
}

TEST_P(StoreMigrations, TwoMigratorsAtOnceApplyEachMigrationOnce) {
  auto a = open();
  auto b = open();
  Result ra, rb;
  int64_t va = -1, vb = -1;
  std::thread ta([&] { ra = a->migrate(&va); });
  std::thread tb([&] { rb = b->migrate(&vb); });
  ta.join();
  tb.join();
  ASSERT_TRUE(ra.ok()) << ra.message;
  ASSERT_TRUE(rb.ok()) << rb.message;
  EXPECT_EQ(va, latest_version());
  EXPECT_EQ(vb, latest_version());
  EXPECT_EQ(raw().column("SELECT count(*) FROM schema_migrations"),
            std::vector<std::string>{std::to_string(latest_version())});
}

}  // namespace
}  // namespace vigil::test::store
