// The invariants that protect money, as the store reports them: one live
// close command per position, foreign keys, a breach as one group,
// optimistic versions rolling back the whole group, append-only audit, and
// bad records refused before they reach the database.
#include "store_fixture.hpp"

namespace vigil::test::store {
namespace {

VIGIL_STORE_SUITE(StoreInvariants);

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

Position closing(Position p, int64_t version) {
  p.state = "closing";
  p.version = version;
  return p;
}

TEST_P(StoreInvariants, ASecondLiveCommandForAPositionIsRefused) {
  ASSERT_TRUE(store().apply(seed(1).insert(command("k1", "p1", "d1"))).ok());
  for (const char* status : {"pending", "acknowledged"}) {
    Command second = command("k2", "p1", "d1");
    second.status = status;
    Result r = store().apply(Group().insert(second));
    EXPECT_EQ(r.status, VIGIL_CONFLICT) << status;
    EXPECT_EQ(r.message, "close_commands: position p1 already has a live close command (close_commands_one_live)");
  }
  EXPECT_EQ(store().all<Command>().size(), 1u);
}

TEST_P(StoreInvariants, AnAcknowledgedCommandIsLiveToo) {
  Command acked = command("k1", "p1", "d1");
  acked.status = "acknowledged";
  ASSERT_TRUE(store().apply(seed(1).insert(acked)).ok());
  EXPECT_EQ(store().apply(Group().insert(command("k2", "p1", "d1"))).status, VIGIL_CONFLICT);
}

TEST_P(StoreInvariants, ANewLiveCommandIsAllowedOnceTheLastOneEnded) {
  ASSERT_TRUE(store().apply(seed(1)).ok());
  int n = 0;
  for (const char* end : {"executed", "failed", "expired"}) {
    ++n;
    Command live = command("k" + std::to_string(n), "p1", "d1", 1000 + n);
    ASSERT_TRUE(store().apply(Group().insert(live)).ok()) << end;
    live.status = end;
    live.version = 2;
    Result r = store().apply(Group().update(live));
    ASSERT_TRUE(r.ok()) << r.message;
  }
  ASSERT_TRUE(store().apply(Group().insert(command("k9", "p1", "d1"))).ok());
  EXPECT_EQ(store().query<Command>({.states = "pending,acknowledged"}).size(), 1u);
  EXPECT_EQ(store().all<Command>().size(), 4u);
}

TEST_P(StoreInvariants, ReopeningAnEndedCommandBesideALiveOneIsRefused) {
  Command old = command("k1", "p1", "d1", 100);
  old.status = "failed";
  ASSERT_TRUE(store().apply(seed(1).insert(old).insert(command("k2", "p1", "d1", 200))).ok());
  old.status = "pending";
  old.version = 2;
  EXPECT_EQ(store().apply(Group().update(old)).status, VIGIL_CONFLICT);
}

TEST_P(StoreInvariants, ABreachIsTheCommandAndTheMoveToClosingInOneGroup) {
  ASSERT_TRUE(store().apply(seed(1)).ok());
  Position p = store().query<Position>({.id = "p1"}).at(0);
  Result r = store().apply(Group().update(closing(p, 2)).insert(command("k1", "p1", "d1")));
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(store().query<Position>({.id = "p1"}).at(0).state, "closing");
  EXPECT_EQ(store().query<Command>({.owner = "d1", .states = "pending"}).size(), 1u);
}

TEST_P(StoreInvariants, ASecondBreachLeavesThePositionAsTheFirstLeftIt) {
  ASSERT_TRUE(store().apply(seed(1)).ok());
  Position p = position("p1", "s1", "d1", "c1", 1001);
  ASSERT_TRUE(store().apply(Group().update(closing(p, 2)).insert(command("k1", "p1", "d1"))).ok());
  Position again = closing(p, 3);
  again.close_reason = "second";
  Result r = store().apply(Group().update(again).insert(command("k2", "p1", "d1")));
  EXPECT_EQ(r.status, VIGIL_CONFLICT);
  EXPECT_TRUE(contains(r.message, "live close command")) << r.message;
  Position stored = store().query<Position>({.id = "p1"}).at(0);
  EXPECT_EQ(stored.version, 2);
  EXPECT_EQ(stored.close_reason, "");
}

TEST_P(StoreInvariants, MissingParentsAreRefusedNamingTheRow) {
  ASSERT_TRUE(store().apply(seed(1)).ok());
  struct Case {
    Group group;
    std::string message;
  };
  std::vector<Case> cases;
  cases.push_back({Group().insert(command("k1", "p9", "d1")),
                   "close_commands: close command k1 refers to position p9, which does not exist "
                   "(close_commands.position_id)"});
  cases.push_back({Group().insert(command("k1", "p1", "d9")),
                   "close_commands: close command k1 refers to device d9, which does not exist "
                   "(close_commands.device_id)"});
  cases.push_back({Group().insert(device("d2", "c9")),
                   "devices: device d2 refers to client c9, which does not exist (devices.client_id)"});
  cases.push_back({Group().insert(position("p2", "s9", "d1", "c1")),
                   "positions: position p2 refers to signal s9, which does not exist (positions.signal_id)"});
  cases.push_back({Group().insert(signal("s2", "c9")),
                   "signals: signal s2 refers to client c9, which does not exist (signals.client_id)"});
  for (const Case& c : cases) {
    Result r = store().apply(c.group);
    EXPECT_EQ(r.status, VIGIL_CONFLICT) << r.message;
    EXPECT_EQ(r.message, c.message);
  }
  EXPECT_TRUE(store().all<Command>().empty());
  EXPECT_EQ(store().all<Device>().size(), 1u);
}

TEST_P(StoreInvariants, AStaleVersionRollsBackTheWholeGroup) {
  ASSERT_TRUE(store().apply(seed(2)).ok());
  Position p1 = position("p1", "s1", "d1", "c1", 1001);
  Position p2 = position("p2", "s1", "d1", "c1", 1002);
  Group g;
  g.insert(client("c2")).update(closing(p1, 2)).insert(command("k1", "p1", "d1")).update(closing(p2, 3));
  g.insert(audit("p1", "closing")).insert(meta("written", "no"));
  Result r = store().apply(g);
  EXPECT_EQ(r.status, VIGIL_CONFLICT);
  EXPECT_EQ(r.message,
            "positions: position p2: version conflict: stored version is 1, the update expects 2 (someone else "
            "changed it)");
  EXPECT_EQ(store().all<Client>().size(), 1u);
  EXPECT_EQ(store().query<Position>({.id = "p1"}).at(0).version, 1);
  EXPECT_TRUE(store().all<Command>().empty());
  EXPECT_TRUE(store().all<Audit>().empty());
  EXPECT_TRUE(store().all<Meta>().empty());
}

TEST_P(StoreInvariants, OfTwoUpdatesFromTheSameVersionOnlyTheFirstCommits) {
  ASSERT_TRUE(store().apply(seed(1)).ok());
  Position base = store().query<Position>({.id = "p1"}).at(0);
  Position a = closing(base, base.version + 1);
  Position b = base;
  b.version = base.version + 1;
  b.owner_sl = "1.09900";
  ASSERT_TRUE(store().apply(Group().update(a)).ok());
  Result r = store().apply(Group().update(b));
  EXPECT_EQ(r.status, VIGIL_CONFLICT);
  EXPECT_TRUE(contains(r.message, "position p1: version conflict: stored version is 2")) << r.message;
  EXPECT_EQ(store().query<Position>({.id = "p1"}).at(0), a);
}

TEST_P(StoreInvariants, CommandUpdatesCarryVersionsToo) {
  ASSERT_TRUE(store().apply(seed(1).insert(command("k1", "p1", "d1"))).ok());
  Command k = command("k1", "p1", "d1");
  k.status = "acknowledged";
  k.version = 3;
  Result r = store().apply(Group().update(k));
  EXPECT_EQ(r.status, VIGIL_CONFLICT);
  EXPECT_TRUE(contains(r.message, "close_commands: close command k1: version conflict")) << r.message;
}

TEST_P(StoreInvariants, SeveralUpdatesOfOneRowInAGroupChainTheirVersions) {
  ASSERT_TRUE(store().apply(seed(1)).ok());
  Position p = position("p1", "s1", "d1", "c1", 1001);
  Position v2 = p, v3 = p;
  v2.version = 2;
  v2.rule_state_json = "{\"step\":2}";
  v3.version = 3;
  v3.rule_state_json = "{\"step\":3}";
  ASSERT_TRUE(store().apply(Group().update(v2).update(v3)).ok());
  EXPECT_EQ(store().all<Position>(), std::vector{v3});
}

TEST_P(StoreInvariants, ADuplicateIdIsAConflict) {
  ASSERT_TRUE(store().apply(seed(1)).ok());
  Result r = store().apply(Group().insert(position("p1", "s1", "d1", "c1")));
  EXPECT_EQ(r.status, VIGIL_CONFLICT);
  EXPECT_EQ(r.message, "positions: position p1 already exists (positions_pkey)");
  EXPECT_EQ(store().apply(Group().insert(meta("k", "1")).insert(meta("k", "2"))).status, VIGIL_CONFLICT);
  EXPECT_TRUE(store().all<Meta>().empty());
}

TEST_P(StoreInvariants, RecordsMissingARequiredFieldAreInvalid) {
  ASSERT_TRUE(store().apply(seed(1)).ok());
  Position no_state = position("p2", "s1", "d1", "c1");
  no_state.state = "";
  Command no_position = command("k1", "", "d1");
  Audit no_action = audit("p1", "");
  Device no_secret = device("d2", "c1");
  no_secret.secret_token = "";
  struct Case {
    Group group;
    std::string message;
  };
  std::vector<Case> cases;
  cases.push_back({Group().insert(no_state), "write 0: positions: state is required (position p2)"});
  cases.push_back({Group().insert(client("c2")).insert(no_position),
                   "write 1: close_commands: position_id is required (close command k1)"});
  cases.push_back({Group().insert(no_action), "write 0: audit_log: action is required"});
  cases.push_back({Group().upsert(no_secret), "write 0: devices: secret_token is required (device d2)"});
  cases.push_back({Group().insert(client("")), "write 0: clients: id is required"});
  for (const Case& c : cases) {
    Result r = store().apply(c.group);
    EXPECT_EQ(r.status, VIGIL_INVALID_ARGUMENT) << r.message;
    EXPECT_EQ(r.message, c.message);
  }
  EXPECT_EQ(store().all<Client>().size(), 1u);
}

TEST_P(StoreInvariants, ValuesOutsideTheirDomainAreInvalid) {
  ASSERT_TRUE(store().apply(seed(1)).ok());
  Position bad_state = position("p2", "s1", "d1", "c1");
  bad_state.state = "bogus";
  Signal bad_side = signal("s2", "c1");
  bad_side.side = 3;
  Device bad_active = device("d2", "c1");
  bad_active.active = 2;
  Command bad_status = command("k1", "p1", "d1");
  bad_status.status = "done";
  Position nul = position("p3", "s1", "d1", "c1");
  nul.close_reason = std::string("a\0b", 3);
  Position bad_utf8 = position("p4", "s1", "d1", "c1");
  bad_utf8.close_reason = "\xC3\x28";
  for (Result r : {store().apply(Group().insert(bad_state)), store().apply(Group().insert(bad_side)),
                   store().apply(Group().insert(bad_active)), store().apply(Group().insert(bad_status)),
                   store().apply(Group().insert(nul)), store().apply(Group().insert(bad_utf8))})
    EXPECT_EQ(r.status, VIGIL_INVALID_ARGUMENT) << r.message;
  Result r = store().apply(Group().insert(bad_state));
  EXPECT_TRUE(contains(r.message, "state 'bogus' is not one of pending, acknowledged")) << r.message;
}

TEST_P(StoreInvariants, ACheckTheDatabaseEnforcesIsAConflict) {
  ASSERT_TRUE(store().apply(seed(0)).ok());
  Position negative = position("p1", "s1", "d1", "c1");
  negative.version = -1;
  Result r = store().apply(Group().insert(negative));
  EXPECT_EQ(r.status, VIGIL_CONFLICT);
  EXPECT_EQ(r.message, "positions: position p1 violates check positions_version");
}

TEST_P(StoreInvariants, AuditSeqIsAssignedInCommitOrderWithoutGaps) {
  Audit first = audit("p1", "opened");
  first.seq = 77;  // ignored: the store assigns seq
  ASSERT_TRUE(store().apply(Group().insert(first).insert(audit("p2", "opened"))).ok());
  ASSERT_EQ(store().apply(Group().insert(audit("p3", "opened")).insert(client(""))).status, VIGIL_INVALID_ARGUMENT);
  ASSERT_EQ(store().apply(seed(0).insert(audit("p3", "refused")).insert(client("c1"))).status, VIGIL_CONFLICT);
  ASSERT_TRUE(store().apply(Group().insert(audit("p4", "opened"))).ok());
  ASSERT_TRUE(store().apply(Group().insert(audit("p5", "a")).insert(audit("p5", "b")).insert(audit("p5", "c"))).ok());
  std::vector<int64_t> seqs;
  std::vector<std::string> entity_ids;
  for (const Audit& a : store().all<Audit>()) {
    seqs.push_back(a.seq);
    entity_ids.push_back(a.entity_id + ":" + a.action);
  }
  EXPECT_EQ(seqs, (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(entity_ids, (std::vector<std::string>{"p1:opened", "p2:opened", "p4:opened", "p5:a", "p5:b", "p5:c"}));
}

TEST_P(StoreInvariants, AuditRowsCannotBeUpdated) {
  ASSERT_TRUE(store().apply(Group().insert(audit("p1", "opened"))).ok());
  Audit changed = store().all<Audit>().at(0);
  changed.action = "rewritten";
  for (Result r : {store().apply(Group().update(changed)), store().apply(Group().upsert(changed))}) {
    EXPECT_EQ(r.status, VIGIL_INVALID_ARGUMENT);
    EXPECT_EQ(r.message, "write 0: audit_log: rows are append-only, only INSERT is accepted");
  }
  EXPECT_EQ(store().all<Audit>().at(0).action, "opened");
}

TEST_P(StoreInvariants, MalformedWritesAreRefusedBeforeAnyIsWritten) {
  // The record owns the strings the C struct views: it must outlive c1.
  Client first = client("c1");
  vigil_store_client c1 = first.c();
  std::string id = "c2";
  vigil_store_client c2 = {sizeof(vigil_store_client), s(id), s(id), 0};
  vigil_store_client small = c2;
  small.struct_size = 8;
  struct Case {
    vigil_store_write second;
    std::string message;
  };
  std::vector<Case> cases = {
      {{sizeof(vigil_store_write), 99, VIGIL_WRITE_INSERT, &c2}, "entity 99 is not a store entity"},
      {{sizeof(vigil_store_write), VIGIL_ENTITY_CLIENT, 9, &c2}, "op 9 is not INSERT, UPDATE or UPSERT"},
      {{sizeof(vigil_store_write), VIGIL_ENTITY_CLIENT, VIGIL_WRITE_INSERT, nullptr}, "record is missing"},
      {{sizeof(vigil_store_write), VIGIL_ENTITY_CLIENT, VIGIL_WRITE_INSERT, &small}, "incompatible host"},
  };
  for (const Case& c : cases) {
    vigil_store_write writes[] = {{sizeof(vigil_store_write), VIGIL_ENTITY_CLIENT, VIGIL_WRITE_INSERT, &c1},
                                  c.second};
    Result r = store().apply(writes, 2);
    EXPECT_EQ(r.status, VIGIL_INVALID_ARGUMENT) << r.message;
    EXPECT_TRUE(contains(r.message, "write 1: ")) << r.message;
    EXPECT_TRUE(contains(r.message, c.message)) << r.message;
  }
  EXPECT_TRUE(store().all<Client>().empty());
}

TEST_P(StoreInvariants, NothingIsReadOrWrittenBeforeMigrate) {
  auto fresh = open();
  Result w = fresh->apply(seed(0));
  EXPECT_EQ(w.status, VIGIL_UNAVAILABLE);
  EXPECT_TRUE(contains(w.message, "run migrate")) << w.message;
  Result q;
  fresh->query<Client>({}, &q);
  EXPECT_EQ(q.status, VIGIL_UNAVAILABLE);
}

}  // namespace
}  // namespace vigil::test::store
