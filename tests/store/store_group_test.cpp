// Large groups, as group commit hands them over: hundreds of breaches in one
// apply, texts that need quoting in any encoding of rows, a row written
// twice in one group, a refusal deep inside a large group that names the
// write at fault and leaves nothing behind, and the order writes apply in. store-postgres runs such
// groups as one statement per table (pg_batch.hpp), so these pin that the
// fast path means the same as the statement-by-statement one.
#include "store_fixture.hpp"

namespace vigil::test::store {
namespace {

VIGIL_STORE_SUITE(StoreGroups);

constexpr int kBreaches = 300;

// What core writes for breach i of seed(kBreaches): command, position to
// closing, audit row.
Group breaches(int count, int version = 2) {
  Group g;
  for (int i = 1; i <= count; ++i) {
    std::string id = "p" + std::to_string(i);
    Position p = position(id, "s1", "d1", "c1", 1000 + i);
    p.state = "closing";
    p.version = version;
    p.close_reason = "sl_hit";
    g.insert(command("k" + std::to_string(i), id, "d1")).update(p).insert(audit(id, "closing"));
  }
  return g;
}

TEST_P(StoreGroups, HundredsOfBreachesInOneGroupAreAllWrittenAndChained) {
  ASSERT_TRUE(store().apply(seed(kBreaches)).ok());
  Result r = store().apply(breaches(kBreaches));
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(store().query<Position>({.states = "closing"}).size(), size_t{kBreaches});
  EXPECT_EQ(store().query<Command>({.states = "pending"}).size(), size_t{kBreaches});
  auto rows = store().all<Audit>();
  ASSERT_EQ(rows.size(), size_t{kBreaches});
  std::string prev = kGenesis;
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ(rows[i].entity_id, "p" + std::to_string(i + 1)) << "the group's order is the chain's order";
    EXPECT_EQ(rows[i].prev_hash, prev);
    EXPECT_EQ(rows[i].hash, chain_hash(rows[i]));
    prev = rows[i].hash;
  }
}

TEST_P(StoreGroups, AStaleVersionDeepInALargeGroupRefusesAllOfItAndNamesTheRow) {
  ASSERT_TRUE(store().apply(seed(kBreaches)).ok());
  Position moved = position("p200", "s1", "d1", "c1", 1200);
  moved.version = 2;
  ASSERT_TRUE(store().apply(Group().update(moved)).ok());
  Result r = store().apply(breaches(kBreaches));
  EXPECT_EQ(r.status, VIGIL_CONFLICT);
  EXPECT_EQ(r.message,
            "positions: position p200: version conflict: stored version is 2, the update expects 1 "
            "(someone else changed it)");
  EXPECT_TRUE(store().all<Command>().empty());
  EXPECT_TRUE(store().all<Audit>().empty());
  EXPECT_EQ(store().query<Position>({.states = "closing"}).size(), 0u);
}

TEST_P(StoreGroups, ARowWrittenTwiceInOneGroupEndsAsTheLastWriteSaysIt) {
  ASSERT_TRUE(store().apply(seed(2)).ok());
  Position closing = position("p1", "s1", "d1", "c1", 1001);
  closing.state = "closing";
  closing.version = 2;
  Position closed = closing;
  closed.state = "closed";
  closed.version = 3;
  Group g;
  g.update(closing).update(closed).insert(command("k1", "p1", "d1"));
  Command executed = command("k1", "p1", "d1");
  executed.status = "executed";
  executed.version = 2;
  g.update(executed).insert(command("k2", "p1", "d1"));
  Result r = store().apply(g);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(store().query<Position>({.id = "p1"}).at(0), closed);
  EXPECT_EQ(store().query<Command>({.id = "k1"}).at(0), executed);
  EXPECT_EQ(store().query<Command>({.id = "k2"}).at(0).status, "pending");
}

TEST_P(StoreGroups, TextsThatNeedQuotingRoundTripInALargeGroup) {
  std::vector<std::string> texts = {
      R"(a "quoted" word)",     R"(back\slash \\ and \")", "{braces},{commas}", "NULL",  "null",
      " leading and trailing ", "€ ünïcödé 日本",          "'single'",          "(1,2)", "\t\n"};
  Group g = seed(0);
  std::vector<Position> written;
  for (size_t i = 0; i < 60; ++i) {
    Position p = position("p" + std::to_string(i), "s1", "d1", "c1", 1000 + static_cast<int64_t>(i));
    p.rule_state_json = texts[i % texts.size()];
    p.error_message = texts[(i + 3) % texts.size()];
    written.push_back(p);
    g.insert(p);
  }
  ASSERT_TRUE(store().apply(g).ok());
  EXPECT_EQ(store().all<Position>(), written);
}

TEST_P(StoreGroups, UpsertsInALargeGroupInsertOrUpdateUnderVersions) {
  ASSERT_TRUE(store().apply(seed(50)).ok());
  Group g;
  for (int i = 1; i <= 100; ++i) {
    Position p = position("p" + std::to_string(i), "s1", "d1", "c1", 1000 + i);
    p.version = i <= 50 ? 2 : 1;  // the first 50 exist at version 1
    p.state = "open";
    g.upsert(p).upsert(meta("k" + std::to_string(i), std::to_string(i)));
  }
  Result r = store().apply(g);
  ASSERT_TRUE(r.ok()) << r.message;
  auto positions = store().all<Position>();
  ASSERT_EQ(positions.size(), 100u);
  for (const Position& p : positions) EXPECT_EQ(p.state, "open");
  EXPECT_EQ(store().all<Meta>().size(), 100u);
  Position stale = position("p1", "s1", "d1", "c1", 1001);
  stale.version = 2;
  EXPECT_EQ(store().apply(Group().upsert(meta("x", "y")).upsert(stale)).status, VIGIL_CONFLICT);
  EXPECT_EQ(store().query<Meta>({.id = "x"}).size(), 0u);
}

// Both stores apply a group parents first (apply_writes.hpp), so they agree
// on a group that lists a child before its parent: its final state is valid.
TEST_P(StoreGroups, AGroupListingAChildBeforeItsParentIsAccepted) {
  Group g;
  g.insert(audit("p1", "opened"))
      .insert(command("k1", "p1", "d1"))
      .insert(position("p1", "s1", "d1", "c1"))
      .insert(signal("s1", "c1"))
      .insert(device("d1", "c1"))
      .insert(client("c1"));
  Result r = store().apply(g);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(store().all<Command>().size(), 1u);
  Result orphan = store().apply(Group().insert(command("k2", "p9", "d1")).insert(position("p2", "s1", "d1", "c1")));
  EXPECT_EQ(orphan.status, VIGIL_CONFLICT);
  EXPECT_EQ(orphan.message,
            "close_commands: close command k2 refers to position p9, which does not exist "
            "(close_commands.position_id)");
  EXPECT_EQ(store().all<Position>().size(), 1u);
}

}  // namespace
}  // namespace vigil::test::store
