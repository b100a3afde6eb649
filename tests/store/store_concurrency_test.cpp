// Several threads applying and querying at once through one store instance,
// as core's shards do: every group committed exactly once, audit seqs
// without gaps, no lost update under versions, one winner among racing
// breaches of one position.
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "store_fixture.hpp"

namespace vigil::test::store {
namespace {

VIGIL_STORE_SUITE(StoreConcurrency);

constexpr int kThreads = 8;

template <class Body>
void in_threads(int count, Body body) {
  std::vector<std::thread> threads;
  for (int i = 0; i < count; ++i) threads.emplace_back(body, i);
  for (auto& t : threads) t.join();
}

TEST_P(StoreConcurrency, EveryGroupIsCommittedExactlyOnce) {
  ASSERT_TRUE(store().apply(seed(0)).ok());
  constexpr int kGroups = 25;
  std::atomic<int> failures{0};
  std::string first_failure;
  std::mutex mutex;
  in_threads(kThreads, [&](int thread) {
    for (int i = 0; i < kGroups; ++i) {
      std::string id = "p" + std::to_string(thread) + "-" + std::to_string(i);
      Result r = store().apply(Group().insert(position(id, "s1", "d1", "c1")).insert(audit(id, "opened")));
      if (!r.ok() && failures++ == 0) {
        std::lock_guard lock(mutex);
        first_failure = r.message;
      }
    }
  });
  ASSERT_EQ(failures, 0) << first_failure;
  auto positions = store().all<Position>();
  std::set<std::string> unique;
  for (const Position& p : positions) unique.insert(p.id);
  EXPECT_EQ(positions.size(), size_t{kThreads * kGroups});
  EXPECT_EQ(unique.size(), size_t{kThreads * kGroups});
  auto rows = store().all<Audit>();
  ASSERT_EQ(rows.size(), size_t{kThreads * kGroups});
  for (size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(rows[i].seq, static_cast<int64_t>(i + 1));
}

TEST_P(StoreConcurrency, NoUpdateIsLostUnderVersions) {
  ASSERT_TRUE(store().apply(seed(1)).ok());
  constexpr int kIncrements = 15;
  std::atomic<int> conflicts{0}, errors{0};
  in_threads(kThreads, [&](int) {
    for (int done = 0; done < kIncrements;) {
      Position p = store().query<Position>({.id = "p1"}).at(0);
      p.version += 1;
      p.close_price = std::to_string(std::stoi(p.close_price.empty() ? "0" : p.close_price) + 1);
      Result r = store().apply(Group().update(p));
      if (r.ok()) {
        ++done;
      } else if (r.status == VIGIL_CONFLICT) {
        ++conflicts;
      } else {
        ++errors;
        return;
      }
    }
  });
  ASSERT_EQ(errors, 0);
  Position p = store().query<Position>({.id = "p1"}).at(0);
  EXPECT_EQ(p.version, 1 + kThreads * kIncrements);
  EXPECT_EQ(p.close_price, std::to_string(kThreads * kIncrements));
  RecordProperty("version_conflicts", conflicts.load());
}

TEST_P(StoreConcurrency, OneOfRacingBreachesOfAPositionWins) {
  constexpr int kPositions = 10;
  ASSERT_TRUE(store().apply(seed(kPositions)).ok());
  std::atomic<int> wins{0}, conflicts{0}, errors{0};
  in_threads(kThreads, [&](int thread) {
    for (int i = 1; i <= kPositions; ++i) {
      std::string id = "p" + std::to_string(i);
      Position p = position(id, "s1", "d1", "c1", 1000 + i);
      p.state = "closing";
      p.version = 2;
      p.close_reason = "racer " + std::to_string(thread);
      Result r = store().apply(Group().update(p).insert(command(id + "-k" + std::to_string(thread), id, "d1")));
      (r.ok() ? wins : r.status == VIGIL_CONFLICT ? conflicts : errors)++;
    }
  });
  EXPECT_EQ(errors, 0);
  EXPECT_EQ(wins, kPositions);
  EXPECT_EQ(conflicts, kPositions * (kThreads - 1));
  auto commands = store().all<Command>();
  EXPECT_EQ(commands.size(), size_t{kPositions});
  for (const Command& c : commands) {
    Position p = store().query<Position>({.id = c.position_id}).at(0);
    EXPECT_EQ("racer " + c.id.substr(c.id.find("-k") + 2), p.close_reason) << "the command and the position's move "
                                                                              "to closing come from the same group";
  }
}

// Two store instances on one database, as two hosts: the schema, not a
// process's mutex, keeps one close command per position.
TEST_P(StoreConcurrency, OneOfRacingBreachesFromTwoHostsWins) {
  constexpr int kPositions = 10;
  ASSERT_TRUE(store().apply(seed(kPositions)).ok());
  auto other = open();
  ASSERT_TRUE(other->migrate().ok());
  std::atomic<int> wins{0}, conflicts{0}, errors{0};
  in_threads(kThreads, [&](int thread) {
    StoreUnderTest& host = thread % 2 ? *other : store();
    for (int i = 1; i <= kPositions; ++i) {
      std::string id = "p" + std::to_string(i);
      Position p = position(id, "s1", "d1", "c1", 1000 + i);
      p.state = "closing";
      p.version = 2;
      Result r = host.apply(Group().update(p).insert(command(id + "-k" + std::to_string(thread), id, "d1")));
      (r.ok() ? wins : r.status == VIGIL_CONFLICT ? conflicts : errors)++;
    }
  });
  EXPECT_EQ(errors, 0);
  EXPECT_EQ(wins, kPositions);
  EXPECT_EQ(conflicts, kPositions * (kThreads - 1));
  EXPECT_EQ(other->all<Command>().size(), size_t{kPositions});
}

TEST_P(StoreConcurrency, ReadersRunBesideWriters) {
  ASSERT_TRUE(store().apply(seed(0)).ok());
  std::atomic<bool> writing{true};
  std::atomic<int> read_errors{0}, went_back{0};
  std::thread reader([&] {
    size_t last = 0;
    while (writing) {
      Result r;
      size_t seen = store().query<Position>({.owner = "d1", .states = "open"}, &r).size();
      if (!r.ok()) ++read_errors;
      if (seen < last) ++went_back;
      last = seen;
    }
  });
  in_threads(4, [&](int thread) {
    for (int i = 0; i < 25; ++i)
      store().apply(Group().insert(position("p" + std::to_string(thread) + "-" + std::to_string(i), "s1", "d1", "c1")));
  });
  writing = false;
  reader.join();
  EXPECT_EQ(read_errors, 0);
  EXPECT_EQ(went_back, 0);
  EXPECT_EQ(store().all<Position>().size(), 100u);
}

}  // namespace
}  // namespace vigil::test::store
