// Hosts sharing one store (issue #15), from the workflow's side: two
// workflows ("hosts" a and b) on one memory store, each with its own fake
// engines and an Ownership the test sets (which clients it acts for, at
// which lease epoch), the store holding the leases its fences are checked
// against. What the cluster's change tail does is done here by hand:
// follow() hands a host the audit rows after those it followed last.
// tests/cluster/cluster_test.py runs the same against real PostgreSQL.
#include <algorithm>

#include "workflow_harness.hpp"

namespace vigil::test::workflow {
namespace {

constexpr int32_t kShard = 3;
using Fence = MemoryStore::Fence;

json close_ack(const std::string& command, const std::string& status) {
  json body = {{"command_id", command}, {"status", status}};
  if (status == "executed") body["actual_close_price"] = "1.08990";
  return body;
}

void count_wake(void* user) {
  ++*static_cast<int*>(user);
}

// Which clients a host acts for, and the lease its writes carry.
class FakeOwnership final : public core::Ownership {
 public:
  std::optional<core::FenceRow> fence_of(const std::string& client_id) const override {
    auto it = fences.find(client_id);
    if (it == fences.end()) return std::nullopt;
    return it->second;
  }
  std::map<std::string, core::FenceRow> fences;  // by client
};

// One host: its engines, what it acts for, its workflow, and the last
// audit seq it followed.
struct Host {
  explicit Host(std::string id) : id(std::move(id)) {}
  std::string id;
  FakeEngines engines;
  FakeOwnership ownership;
  std::unique_ptr<core::Workflow> workflow;
  int64_t followed_seq = 0;
};

class WorkflowCluster : public ::testing::Test {
 protected:
  WorkflowCluster() {
    a.workflow = h.host(a.engines, &a.ownership);
    b.workflow = h.host(b.engines, &b.ownership);
  }

  // The harness's calls go to `host`.
  Harness& on(Host& host) {
    h.drive(*host.workflow, host.engines);
    return h;
  }

  // The audit rows after `seq`, as the change tail reads them.
  std::vector<core::AuditRow> rows_after(int64_t seq) const {
    std::vector<core::AuditRow> out;
    for (const Audit& r : h.rows<Audit>({}, {}, seq))
      out.push_back({r.seq, r.at, r.entity_name, r.entity_id, r.action, r.detail_json, r.prev_hash, r.hash});
    return out;
  }

  // The host adopts what was committed since it last followed.
  void follow(Host& host) {
    std::vector<core::AuditRow> rows = rows_after(host.followed_seq);
    if (!rows.empty()) host.followed_seq = rows.back().seq;
    host.workflow->follow(rows);
  }

  // `host` holds the client's shard at `epoch`: by its own view and the store's.
  void acts(Host& host, const std::string& client, int64_t epoch) {
    host.ownership.fences[client] = {kShard, host.id, epoch};
    h.store().set_lease(kShard, host.id, epoch);
  }

  static std::function<bool(const std::string&)> only(const std::string& client) {
    return [client](const std::string& id) { return id == client; };
  }

  // A client and its device created on b, a acting for it; both hosts
  // followed: {client, device}.
  std::pair<std::string, std::string> shared_client() {
    std::string client = on(b).client();
    std::string device = on(b).device(client);
    acts(a, client, 1);
    follow(a);
    follow(b);
    return {client, device};
  }

  // A position signalled, delivered and executed through b (the EA's
  // host), both hosts followed: a watches it.
  std::string open_position(const std::string& client, const std::string& device, const std::string& ticket) {
    std::string position = on(b).signal(client).at(0);
    on(b).ea(device, "client.poll");
    on(b).ea(device, "client.ack", h.execution(position, ticket));
    follow(a);
    follow(b);
    EXPECT_TRUE(a.engines.watched(position)) << "setup: a acts for the client";
    return position;
  }

  // The command rows of the position that are live in the store.
  std::vector<Command> live_commands(const std::string& position) const {
    std::vector<Command> out;
    for (Command& c : h.commands_of(position))
      if (c.status == "pending" || c.status == "acknowledged") out.push_back(c);
    return out;
  }

  // One of the workflow's gauges, as /metrics would show it now.
  double gauge(Host& host, std::string_view name) {
    host.workflow->export_metrics(h.metrics());
    return h.metrics().value(name);
  }

  // The clock moves on; `host` runs a maintenance tick.
  void tick(Host& host, int64_t ms) {
    h.advance(ms);  // the harness's own workflow holds nothing here
    host.workflow->maintain();
  }

  Fence fence(const std::string& host_id, int64_t epoch) const { return {kShard, host_id, epoch}; }

  Harness h;  // first: the hosts' workflows go before the store they use
  Host a{"a"}, b{"b"};
};

TEST_F(WorkflowCluster, ASignalOnAnotherHostReachesTheActingHostsBookAndEngines) {
  auto [client, device] = shared_client();
  std::string position = on(b).signal(client).at(0);
  EXPECT_TRUE(h.store().fences_committed().empty()) << "b acts for no client: its writes carry no fence";
  follow(a);
  json polled = on(a).ea(device, "client.poll");
  ASSERT_EQ(polled.at("positions").size(), 1u) << "a's book has the position b created";
  EXPECT_EQ(polled.at("positions").at(0).at("position_id"), position);
  EXPECT_EQ(h.store().fences_committed(), std::vector<Fence>{fence("a", 1)}) << "a's delivery carried a's lease";

  follow(b);
  on(b).ea(device, "client.ack", h.execution(position, "T1"));
  EXPECT_TRUE(a.engines.watches.empty()) << "not before a follows";
  follow(a);
  ASSERT_TRUE(a.engines.watched(position)) << "the execution ack on b reached a's engines";
  EXPECT_EQ(a.engines.watching.at(a.engines.key_of(position)).entry_price, 110'000);
  EXPECT_TRUE(b.engines.watches.empty()) << "b does not act for the client";
}

TEST_F(WorkflowCluster, ABreachOnTheActingHostIsDeliveredAndClosedThroughAnother) {
  auto [client, device] = shared_client();
  std::string position = open_position(client, device, "T1");
  int woken = 0;
  uint64_t token = b.workflow->watch(device, count_wake, &woken);
  size_t fences = h.store().fences_committed().size();

  on(a).breach(position);
  std::vector<Command> live = live_commands(position);
  ASSERT_EQ(live.size(), 1u);
  ASSERT_EQ(h.store().fences_committed().size(), fences + 1);
  EXPECT_EQ(h.store().fences_committed().back(), fence("a", 1)) << "the close command was written under a's lease";
  EXPECT_EQ(woken, 0);

  follow(b);
  EXPECT_EQ(woken, 1) << "b's long-poll wakes for the command a issued";
  EXPECT_EQ(on(b).deliver_commands(device), std::vector<std::string>{live[0].id});
  EXPECT_EQ(on(b).ea(device, "client.close_ack", close_ack(live[0].id, "executed")).at("position_state"), "closed");
  EXPECT_EQ(h.position_row(position).state, "closed");
  EXPECT_EQ(gauge(a, "vigil_positions{state=\"closing\"}"), 1);

  follow(a);
  EXPECT_EQ(gauge(a, "vigil_positions{state=\"closing\"}"), 0) << "a forgot the closed position";
  EXPECT_EQ(gauge(a, "vigil_positions{state=\"open\"}"), 0);
  EXPECT_EQ(gauge(a, "vigil_close_commands_live"), 0);
  tick(a, 600'000);
  EXPECT_EQ(h.commands_of(position).size(), 1u) << "a neither expires nor re-issues the settled command";
  b.workflow->unwatch(token);
}

TEST_F(WorkflowCluster, AFailedCloseReportedOnAnotherHostIsRetriedAfterItsBackoffNotAtOnce) {
  auto [client, device] = shared_client();
  std::string position = open_position(client, device, "T1");
  on(a).breach(position);
  follow(b);
  std::vector<std::string> delivered = on(b).deliver_commands(device);
  ASSERT_EQ(delivered.size(), 1u);
  on(b).ea(device, "client.close_ack", close_ack(delivered[0], "failed"));
  follow(a);
  tick(a, 999);  // the first retry waits retry_backoff_ms (1 s), wherever the EA reported
  EXPECT_EQ(h.commands_of(position).size(), 1u) << "re-issued before its backoff";
  tick(a, 1);
  ASSERT_EQ(live_commands(position).size(), 1u) << "re-issued once its backoff passed";
  EXPECT_EQ(live_commands(position)[0].attempts, 1);
}

TEST_F(WorkflowCluster, AManualCloseOnAnotherHostTakesThePositionOffTheActingHostsEngines) {
  auto [client, device] = shared_client();
  std::string position = open_position(client, device, "T1");
  uint64_t key = a.engines.key_of(position);
  std::string command = on(b).admin("admin.close_position", json::object(), position).at("command_id");
  follow(a);
  EXPECT_FALSE(a.engines.watched(position));
  EXPECT_EQ(a.engines.unwatches, std::vector<uint64_t>{key});
  EXPECT_EQ(gauge(a, "vigil_close_commands_live"), 1) << "a holds the command, to expire and re-issue it";
  tick(a, 300'000);
  std::vector<Command> live = live_commands(position);
  ASSERT_EQ(live.size(), 1u);
  EXPECT_NE(live[0].id, command) << "a expired b's command and issued another";
  EXPECT_EQ(h.store().fences_committed().back(), fence("a", 1));
}

TEST_F(WorkflowCluster, AWriteAfterTheLeaseMovedIsFencedOutAndTheBreachStaysDue) {
  auto [client, device] = shared_client();
  std::string position = open_position(client, device, "T1");
  h.store().set_lease(kShard, "a", 2);  // taken again at a new epoch: a still writes under epoch 1
  uint64_t commits = h.store().commits();
  size_t audit = h.audit().size();

  on(a).breach(position);
  EXPECT_EQ(h.store().commits(), commits) << "the fenced group wrote nothing";
  EXPECT_EQ(h.audit().size(), audit);
  EXPECT_TRUE(h.commands_of(position).empty());
  EXPECT_EQ(h.position_row(position).state, "open");

  a.ownership.fences[client].epoch = 2;  // a's lease keeper catches up
  tick(a, 999);
  EXPECT_TRUE(h.commands_of(position).empty()) << "retried after the backoff, not before";
  tick(a, 1);
  ASSERT_EQ(live_commands(position).size(), 1u) << "the breach stayed due and was retried";
  EXPECT_EQ(h.store().fences_committed().back(), fence("a", 2));
  EXPECT_EQ(h.position_row(position).state, "closing");
}

TEST_F(WorkflowCluster, TakeOverReadsTheLastOwnersRowsAndFinishesWhatItLeft) {
  auto [client, device] = shared_client();
  std::string other_client = on(b).client();
  std::string other_device = on(b).device(other_client);
  acts(a, other_client, 1);
  follow(a);
  std::string open = open_position(client, device, "T1");
  std::string closing = open_position(client, device, "T2");
  std::string elsewhere = open_position(other_client, other_device, "T3");
  // b lags from here: what a does next reaches b only through take_over.

  // a's engine moves a rule's state without moving a level: saved by the
  // maintenance tick with no audit row.
  core::RuleUpdate update{a.engines.key_of(open),
                          a.engines.watching.at(a.engines.key_of(open)).instrument,
                          0,
                          R"({"best":"1.10150"})",
                          {},
                          h.now()};
  a.workflow->on_engine_output({}, {update});
  size_t audit = h.audit().size();
  a.workflow->maintain();
  EXPECT_EQ(h.audit().size(), audit) << "setup: a state without a level move is not audited";
  ASSERT_NE(h.position_row(open).rule_state_json.find("1.10150"), std::string::npos);
  // a breach, and its close failed at the broker: closing with no live command.
  on(a).breach(closing);
  std::string failed = on(a).deliver_commands(device).at(0);
  on(a).ea(device, "client.close_ack", close_ack(failed, "failed"));
  ASSERT_TRUE(live_commands(closing).empty());

  a.workflow->give_up(only(client));
  a.ownership.fences.erase(client);
  EXPECT_FALSE(a.engines.watched(open)) << "a gave up the client";
  EXPECT_TRUE(a.engines.watched(elsewhere)) << "another client's position stays on a's engines";

  acts(b, client, 2);
  b.workflow->take_over(only(client));
  ASSERT_TRUE(b.engines.watched(open));
  EXPECT_EQ(b.engines.watching.at(b.engines.key_of(open)).rule_states,
            std::vector<std::string>{R"({"best":"1.10150"})"})
      << "watched from the state a saved, which no audit row named";
  EXPECT_FALSE(b.engines.watched(closing));
  EXPECT_FALSE(b.engines.watched(elsewhere));
  std::vector<Command> live = live_commands(closing);
  ASSERT_EQ(live.size(), 1u) << "the position left closing got a command";
  EXPECT_EQ(live[0].reason, "sl_hit") << "the failed command's reason";
  EXPECT_EQ(live[0].attempts, 1);
  EXPECT_EQ(h.store().fences_committed().back(), fence("b", 2));

  follow(b);  // b catches up: nothing more
  EXPECT_EQ(live_commands(closing).size(), 1u);
  EXPECT_EQ(b.engines.watches.size(), 1u);
  EXPECT_EQ(on(b).deliver_commands(device), std::vector<std::string>{live[0].id});
}

TEST_F(WorkflowCluster, ACloseEventAtAHostThatNoLongerActsIsDroppedAndTheKeyForgotten) {
  auto [client, device] = shared_client();
  std::string position = open_position(client, device, "T1");
  a.ownership.fences.erase(client);  // a's lease ran out before it gave the shard up
  uint64_t commits = h.store().commits();

  on(a).breach(position);
  EXPECT_EQ(h.store().commits(), commits) << "nothing written for the event";
  EXPECT_TRUE(h.commands_of(position).empty());
  EXPECT_EQ(h.position_row(position).state, "open");
  EXPECT_EQ(gauge(a, "vigil_positions_watched"), 0) << "the engine forgot the position, so does a";
  tick(a, 60'000);
  EXPECT_TRUE(h.commands_of(position).empty()) << "the dropped event is not issued later";

  acts(a, client, 2);
  a.workflow->take_over(only(client));
  ASSERT_EQ(a.engines.watches.size(), 2u) << "taken back: watched again";
  EXPECT_EQ(a.engines.watches.back().id, position);
}

TEST_F(WorkflowCluster, FollowingTheSameRowsTwiceChangesNothing) {
  auto [client, device] = shared_client();
  std::string position = open_position(client, device, "T1");
  on(a).breach(position);
  int woken = 0;
  uint64_t token = b.workflow->watch(device, count_wake, &woken);
  std::vector<core::AuditRow> all = rows_after(0);
  uint64_t commits = h.store().commits();

  b.workflow->follow(all);
  EXPECT_EQ(woken, 1);
  b.workflow->follow(all);
  a.workflow->follow(all);  // a's own commits among them
  a.workflow->follow(all);
  EXPECT_EQ(woken, 1) << "a command already known wakes nobody";
  EXPECT_EQ(h.store().commits(), commits) << "following writes nothing";
  EXPECT_EQ(a.engines.watches.size(), 1u);
  EXPECT_TRUE(b.engines.watches.empty());
  tick(a, 1'000);
  EXPECT_EQ(h.commands_of(position).size(), 1u) << "no second command";
  EXPECT_EQ(gauge(a, "vigil_close_commands_live"), 1);
  EXPECT_EQ(gauge(b, "vigil_close_commands_live"), 1);
  EXPECT_EQ(on(b).deliver_commands(device).size(), 1u);
  b.workflow->unwatch(token);
}

}  // namespace
}  // namespace vigil::test::workflow
