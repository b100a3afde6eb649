// Every operation on every entity: insert, update, upsert, and the queries
// by id, by owner, by states, audit after a seq, meta by key; ordering,
// limits, the visitor's stop, and the filters an entity does not take.
#include <algorithm>

#include "store_fixture.hpp"

namespace vigil::test::store {
namespace {

VIGIL_STORE_SUITE(StoreOperations);

template <class T>
std::vector<std::string> ids(const std::vector<T>& records) {
  std::vector<std::string> out;
  for (const T& r : records) out.push_back(r.id);
  return out;
}

TEST_P(StoreOperations, MigrateReachesTheLatestSchemaVersion) {
  int64_t version = -1;
  Result r = open()->migrate(&version);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(version, latest_version());
}

TEST_P(StoreOperations, EveryEntityReadsBackAsWritten) {
  Group g = seed(1);
  g.insert(command("k1", "p1", "d1")).insert(audit("p1", "opened")).insert(meta("engine.epoch", "7"));
  Result r = store().apply(g);
  ASSERT_TRUE(r.ok()) << r.message;

  EXPECT_EQ(store().query<Client>({.id = "c1"}), std::vector{client("c1")});
  EXPECT_EQ(store().query<Device>({.id = "d1"}), std::vector{device("d1", "c1")});
  EXPECT_EQ(store().query<Signal>({.id = "s1"}), std::vector{signal("s1", "c1")});
  EXPECT_EQ(store().query<Position>({.id = "p1"}), std::vector{position("p1", "s1", "d1", "c1", 1001)});
  EXPECT_EQ(store().query<Command>({.id = "k1"}), std::vector{command("k1", "p1", "d1")});
  Audit expected = audit("p1", "opened");
  expected.seq = 1;
  expected.prev_hash = kGenesis;  // the store computes the chain (store_audit_chain_test.cpp)
  expected.hash = chain_hash(expected);
  EXPECT_EQ(store().all<Audit>(), std::vector{expected});
  EXPECT_EQ(store().query<Meta>({.id = "engine.epoch"}), std::vector{meta("engine.epoch", "7")});
}

TEST_P(StoreOperations, EmptyOptionalFieldsReadBackEmpty) {
  Group g;
  g.insert(Client{"c1", "", 0}).insert(Device{"d1", "c1", "", "secret", 0, 0});
  g.insert(Signal{"s1", "c1", "XAUUSD", VIGIL_SIDE_SELL, "1", "", "", "", "", "", 0});
  Position p{.id = "p1", .signal_id = "s1", .device_id = "d1", .client_id = "c1", .instrument = "XAUUSD"};
  p.side = VIGIL_SIDE_SELL;
  p.volume = "1";
  g.insert(p).insert(Command{.id = "k1", .position_id = "p1", .device_id = "d1", .reason = "manual"});
  g.insert(Meta{"flag", ""});
  Result r = store().apply(g);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(store().all<Position>(), std::vector{p});
  EXPECT_EQ(store().all<Command>(), (std::vector{Command{.id = "k1", .position_id = "p1", .device_id = "d1", .reason = "manual"}}));
  EXPECT_EQ(store().all<Signal>().at(0).entry_price, "");
  EXPECT_EQ(store().all<Meta>(), (std::vector{Meta{"flag", ""}}));
}

TEST_P(StoreOperations, TextRoundTripsExactly) {
  Position p = position("p1", "s1", "d1", "c1", 1001);
  p.rule_state_json = R"({"note":"€ – ünïcödé, 'quotes' and \"escapes\";","levels":[1.10000,1.0950]})";
  p.entry_price = "1.10000";  // trailing zeros kept: decimal text, never a float
  Group g = seed(0);
  g.insert(p);
  ASSERT_TRUE(store().apply(g).ok());
  EXPECT_EQ(store().all<Position>(), std::vector{p});
}

TEST_P(StoreOperations, UpdatesEveryEntity) {
  Group g = seed(1);
  g.insert(command("k1", "p1", "d1")).insert(meta("k", "v1"));
  ASSERT_TRUE(store().apply(g).ok());

  Client c = client("c1");
  c.name = "Renamed";
  Device d = device("d1", "c1");
  d.active = 0;
  d.secret_token = "v2.rotated";
  Signal s = signal("s1", "c1");
  s.rules_json = R"({"rule-trailing":{"distance":"0.0010"}})";
  Position p = position("p1", "s1", "d1", "c1", 1001);
  p.state = "closing";
  p.version = 2;
  p.updated_at = 5000;
  Command k = command("k1", "p1", "d1");
  k.status = "acknowledged";
  k.version = 2;
  k.attempts = 1;
  Group u;
  u.update(c).update(d).update(s).update(p).update(k).update(meta("k", "v2"));
  Result r = store().apply(u);
  ASSERT_TRUE(r.ok()) << r.message;

  EXPECT_EQ(store().all<Client>(), std::vector{c});
  EXPECT_EQ(store().all<Device>(), std::vector{d});
  EXPECT_EQ(store().all<Signal>(), std::vector{s});
  EXPECT_EQ(store().all<Position>(), std::vector{p});
  EXPECT_EQ(store().all<Command>(), std::vector{k});
  EXPECT_EQ(store().all<Meta>(), std::vector{meta("k", "v2")});
}

TEST_P(StoreOperations, UpsertInsertsThenUpdates) {
  ASSERT_TRUE(store().apply(Group().upsert(client("c1")).upsert(meta("k", "v1"))).ok());
  Client renamed = client("c1");
  renamed.name = "Renamed";
  ASSERT_TRUE(store().apply(Group().upsert(renamed).upsert(meta("k", "v2"))).ok());
  EXPECT_EQ(store().all<Client>(), std::vector{renamed});
  EXPECT_EQ(store().all<Meta>(), std::vector{meta("k", "v2")});
}

TEST_P(StoreOperations, UpsertOfAVersionedRowFollowsTheVersionRule) {
  Group g = seed(0);
  Position p = position("p1", "s1", "d1", "c1");
  g.upsert(p);
  ASSERT_TRUE(store().apply(g).ok());
  p.version = 2;
  p.state = "closing";
  ASSERT_TRUE(store().apply(Group().upsert(p)).ok());
  EXPECT_EQ(store().all<Position>(), std::vector{p});

  Result stale = store().apply(Group().upsert(p));  // version 2 again: stored is 2, not 1
  EXPECT_EQ(stale.status, VIGIL_CONFLICT);
  EXPECT_NE(stale.message.find("p1"), std::string::npos) << stale.message;
}

TEST_P(StoreOperations, UpdateOfAMissingRowIsNotFound) {
  ASSERT_TRUE(store().apply(seed(0)).ok());
  for (Result r : {store().apply(Group().update(position("p9", "s1", "d1", "c1"))),
                   store().apply(Group().update(client("c9"))), store().apply(Group().update(meta("nope", "x")))}) {
    EXPECT_EQ(r.status, VIGIL_NOT_FOUND) << r.message;
    EXPECT_NE(r.message.find("does not exist"), std::string::npos) << r.message;
  }
}

TEST_P(StoreOperations, PositionsByDeviceAndStatesInCreationOrder) {
  Group g = seed(0);
  g.insert(device("d2", "c1"));
  const char* states[] = {"open", "closing", "closed", "open", "pending"};
  for (int i = 0; i < 5; ++i) {
    Position p = position("p" + std::to_string(i), "s1", i == 3 ? "d2" : "d1", "c1", 5000 - i * 10);
    p.state = states[i];
    g.insert(p);
  }
  ASSERT_TRUE(store().apply(g).ok());
  EXPECT_EQ(ids(store().query<Position>({.owner = "d1", .states = "open,closing"})),
            (std::vector<std::string>{"p1", "p0"}));
  EXPECT_EQ(ids(store().query<Position>({.owner = "d1"})), (std::vector<std::string>{"p4", "p2", "p1", "p0"}));
  EXPECT_EQ(ids(store().query<Position>({.states = "open"})), (std::vector<std::string>{"p3", "p0"}));
  EXPECT_EQ(ids(store().query<Position>({.states = " closed , pending "})), (std::vector<std::string>{"p4", "p2"}));
  EXPECT_EQ(ids(store().query<Position>({.id = "p3", .owner = "d1"})), std::vector<std::string>{});
  EXPECT_EQ(ids(store().query<Position>({.id = "p9"})), std::vector<std::string>{});
}

TEST_P(StoreOperations, EqualCreationTimesOrderById) {
  Group g = seed(0);
  for (const char* id : {"pb", "pc", "pa"}) g.insert(position(id, "s1", "d1", "c1", 7000));
  g.insert(position("pz", "s1", "d1", "c1", 6000));
  ASSERT_TRUE(store().apply(g).ok());
  EXPECT_EQ(ids(store().all<Position>()), (std::vector<std::string>{"pz", "pa", "pb", "pc"}));
}

TEST_P(StoreOperations, CommandsByDeviceAndStatus) {
  Group g = seed(3);
  g.insert(device("d2", "c1")).insert(position("q1", "s1", "d2", "c1"));
  Command done = command("k1", "p1", "d1", 100);
  done.status = "executed";
  g.insert(done).insert(command("k2", "p2", "d1", 200)).insert(command("k3", "q1", "d2", 300));
  Command acked = command("k4", "p3", "d1", 50);
  acked.status = "acknowledged";
  g.insert(acked);
  ASSERT_TRUE(store().apply(g).ok());
  EXPECT_EQ(ids(store().query<Command>({.owner = "d1", .states = "pending,acknowledged"})),
            (std::vector<std::string>{"k4", "k2"}));
  EXPECT_EQ(ids(store().query<Command>({.owner = "d1"})), (std::vector<std::string>{"k4", "k1", "k2"}));
  EXPECT_EQ(ids(store().query<Command>({.states = "pending"})), (std::vector<std::string>{"k2", "k3"}));
}

TEST_P(StoreOperations, DevicesAndSignalsByClient) {
  Group g;
  g.insert(client("c1")).insert(client("c2"));
  g.insert(device("d2", "c1", 20)).insert(device("d1", "c1", 10)).insert(device("e1", "c2", 5));
  g.insert(signal("s1", "c1")).insert(signal("t1", "c2"));
  ASSERT_TRUE(store().apply(g).ok());
  EXPECT_EQ(ids(store().query<Device>({.owner = "c1"})), (std::vector<std::string>{"d1", "d2"}));
  EXPECT_EQ(ids(store().query<Signal>({.owner = "c2"})), (std::vector<std::string>{"t1"}));
  EXPECT_EQ(ids(store().all<Client>()), (std::vector<std::string>{"c1", "c2"}));
}

TEST_P(StoreOperations, LimitCutsTheOrderedResult) {
  ASSERT_TRUE(store().apply(seed(5)).ok());
  EXPECT_EQ(ids(store().query<Position>({.limit = 2})), (std::vector<std::string>{"p1", "p2"}));
  EXPECT_EQ(ids(store().query<Position>({.owner = "d1", .states = "open", .limit = 3})),
            (std::vector<std::string>{"p1", "p2", "p3"}));
}

TEST_P(StoreOperations, AuditRowsAfterASeqInSeqOrder) {
  Group g;
  for (int i = 1; i <= 5; ++i) g.insert(audit("p" + std::to_string(i), "opened"));
  ASSERT_TRUE(store().apply(g).ok());
  auto rows = store().query<Audit>({.after_seq = 2, .limit = 2});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].seq, 3);
  EXPECT_EQ(rows[0].entity_id, "p3");
  EXPECT_EQ(rows[1].seq, 4);
  EXPECT_EQ(store().query<Audit>({.after_seq = 5}).size(), 0u);
  EXPECT_EQ(store().all<Audit>().size(), 5u);
}

TEST_P(StoreOperations, MetaByKeyAndAllInKeyOrder) {
  ASSERT_TRUE(store().apply(Group().insert(meta("b", "2")).insert(meta("a", "1"))).ok());
  EXPECT_EQ(store().query<Meta>({.id = "b"}), std::vector{meta("b", "2")});
  EXPECT_EQ(store().all<Meta>(), (std::vector{meta("a", "1"), meta("b", "2")}));
}

TEST_P(StoreOperations, TheVisitorStopsTheQueryWithItsStatus) {
  ASSERT_TRUE(store().apply(seed(3)).ok());
  Result r;
  auto seen = store().query<Position>({}, &r, 1);
  EXPECT_EQ(seen.size(), 1u);
  EXPECT_EQ(r.status, VIGIL_CONFLICT);
  EXPECT_NE(r.message.find("visitor"), std::string::npos) << r.message;
}

TEST_P(StoreOperations, FiltersAnEntityDoesNotTakeAreRefused) {
  ASSERT_TRUE(store().apply(seed(1)).ok());
  struct Case {
    Result result;
    const char* names;
  };
  Result r;
  std::vector<Case> cases;
  store().query<Client>({.owner = "x"}, &r);
  cases.push_back({r, "owner_id"});
  store().query<Meta>({.states = "open"}, &r);
  cases.push_back({r, "states"});
  store().query<Position>({.states = "open,opne"}, &r);
  cases.push_back({r, "opne"});
  store().query<Position>({.after_seq = 3}, &r);
  cases.push_back({r, "after_seq"});
  store().query<Audit>({.id = "1"}, &r);
  cases.push_back({r, "id"});
  store().query<Position>({.limit = -1}, &r);
  cases.push_back({r, "limit"});
  for (const Case& c : cases) {
    EXPECT_EQ(c.result.status, VIGIL_INVALID_ARGUMENT) << c.names << ": " << c.result.message;
    EXPECT_NE(c.result.message.find(c.names), std::string::npos) << c.result.message;
  }
}

TEST_P(StoreOperations, AnEmptyGroupCommitsNothing) {
  EXPECT_TRUE(store().apply(Group()).ok());
  EXPECT_TRUE(store().all<Client>().empty());
}

// Updates first try a statement that leaves the columns indexes and foreign
// keys hold alone (sql_text.hpp, update_stable); a record that does change
// them must still be written in full, and still be refused when stale.
TEST_P(StoreOperations, AnUpdateThatChangesAParentOrCreationTimeIsWrittenInFull) {
  Group g = seed(1);
  g.insert(device("d2", "c1")).insert(command("k1", "p1", "d1"));
  ASSERT_TRUE(store().apply(g).ok());
  Position moved = position("p1", "s1", "d2", "c1", 1001);
  moved.version = 2;
  moved.created_at = 999;
  Command command_moved = command("k1", "p1", "d2");
  command_moved.version = 2;
  Result r = store().apply(Group().update(moved).update(command_moved));
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(store().query<Position>({.id = "p1"}).at(0), moved);
  EXPECT_EQ(store().query<Command>({.id = "k1"}).at(0), command_moved);
  Position stale = position("p1", "s1", "d1", "c1", 1001);
  stale.version = 2;
  Result refused = store().apply(Group().update(stale));
  EXPECT_EQ(refused.status, VIGIL_CONFLICT);
  EXPECT_NE(refused.message.find("stored version is 2, the update expects 1"), std::string::npos) << refused.message;
  Position orphan = moved;
  orphan.version = 3;
  orphan.device_id = "d9";
  EXPECT_EQ(store().apply(Group().update(orphan)).message,
            "positions: position p1 refers to device d9, which does not exist (positions.device_id)");
}

}  // namespace
}  // namespace vigil::test::store
