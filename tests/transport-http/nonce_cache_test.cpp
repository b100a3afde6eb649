// NonceCache: replays refused exactly, the per-device bound, expiry in
// order, growth and shrinking of a device's table, and devices on every
// shard used from many threads at once.
#include "plugins/transport-http/nonce_cache.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using vigil::http::device_shard;
using vigil::http::kDeviceShards;
using vigil::http::NonceCache;
using Verdict = NonceCache::Verdict;

namespace {

constexpr int64_t kNow = 1'700'000'000'000;
constexpr int64_t kRemember = 60'000;

std::string nonce(int i) {
  return "nonce-" + std::to_string(1'000'000'000 + i);
}

}  // namespace

TEST(NonceCache, AcceptsANonceOnceAndRefusesItsReplay) {
  NonceCache cache(kRemember, 8);
  EXPECT_EQ(cache.use("dev_a", "nonce-0000000001", kNow), Verdict::fresh);
  EXPECT_EQ(cache.use("dev_a", "nonce-0000000001", kNow + 1), Verdict::replayed);
  EXPECT_EQ(cache.use("dev_a", "nonce-0000000002", kNow + 1), Verdict::fresh);
}

TEST(NonceCache, KeepsEachDevicesNoncesApart) {
  NonceCache cache(kRemember, 8);
  EXPECT_EQ(cache.use("dev_a", "nonce-0000000001", kNow), Verdict::fresh);
  EXPECT_EQ(cache.use("dev_b", "nonce-0000000001", kNow), Verdict::fresh);
}

TEST(NonceCache, TellsApartNoncesThatDifferInOneCharacterOrOnlyInLength) {
  NonceCache cache(kRemember, 1000);
  // '0' packs to all-zero bits: only the length tells these apart.
  for (size_t length = 1; length <= NonceCache::kMaxNonceLength; ++length)
    EXPECT_EQ(cache.use("dev_a", std::string(length, '0'), kNow), Verdict::fresh) << length;
  // Every character of the alphabet at every position, the last word's
  // straddling bits included.
  const std::string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-";
  for (size_t at = 0; at < 64; at += 7) {
    for (char c : alphabet) {
      std::string n(64, '0');
      n[at] = c;
      if (c == '0') continue;
      EXPECT_EQ(cache.use("dev_b", n, kNow), Verdict::fresh) << n;
      EXPECT_EQ(cache.use("dev_b", n, kNow), Verdict::replayed) << n;
    }
  }
}

TEST(NonceCache, RefusesANonceOutsideTheAlphabetOrOverLong) {
  NonceCache cache(kRemember, 8);
  EXPECT_THROW(cache.use("dev_a", "nonce with space!", kNow), std::invalid_argument);
  EXPECT_THROW(cache.use("dev_a", std::string(65, 'a'), kNow), std::invalid_argument);
  EXPECT_THROW(cache.use("dev_a", "", kNow), std::invalid_argument);
}

TEST(NonceCache, IsFullAtTheBoundAndRemembersEveryNonceUntilTheyExpire) {
  NonceCache cache(kRemember, 3);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(cache.use("dev_a", nonce(i), kNow + i), Verdict::fresh);
  EXPECT_EQ(cache.use("dev_a", nonce(3), kNow + 10), Verdict::full);
  EXPECT_EQ(cache.use("dev_a", nonce(0), kNow + 10), Verdict::replayed) << "a full cache still knows its nonces";
  // The first nonce expires exactly kRemember after it was used, and only it.
  EXPECT_EQ(cache.use("dev_a", nonce(3), kNow + kRemember - 1), Verdict::full);
  EXPECT_EQ(cache.use("dev_a", nonce(3), kNow + kRemember), Verdict::fresh);
  EXPECT_EQ(cache.use("dev_a", nonce(1), kNow + kRemember), Verdict::replayed);
  EXPECT_EQ(cache.use("dev_a", nonce(0), kNow + kRemember), Verdict::full) << "forgotten, but no room yet";
  EXPECT_EQ(cache.use("dev_a", nonce(0), kNow + kRemember + 1), Verdict::fresh);
}

TEST(NonceCache, GrowsToManyThousandNoncesAndShrinksBackAsTheyExpire) {
  NonceCache cache(kRemember, 100'000);
  for (int i = 0; i < 50'000; ++i) ASSERT_EQ(cache.use("dev_a", nonce(i), kNow), Verdict::fresh) << i;
  for (int i = 0; i < 50'000; i += 97) ASSERT_EQ(cache.use("dev_a", nonce(i), kNow), Verdict::replayed) << i;
  // All expired: each is fresh again, once, while the table shrinks under them.
  for (int i = 0; i < 50'000; i += 3) ASSERT_EQ(cache.use("dev_a", nonce(i), kNow + kRemember), Verdict::fresh) << i;
  for (int i = 0; i < 50'000; i += 3) ASSERT_EQ(cache.use("dev_a", nonce(i), kNow + kRemember), Verdict::replayed) << i;
}

// The packed table against a plain model (a set and a queue of strings)
// over random nonces from a small pool, so that replays, expiry, the bound
// and the table's growth and shrinking all meet.
TEST(NonceCache, AnswersAsAPlainSetOfStringsWouldOverARandomRun) {
  constexpr size_t kMax = 300;
  NonceCache cache(1000, kMax);
  std::set<std::string> model;
  std::deque<std::pair<int64_t, std::string>> by_time;
  std::mt19937 random(12345);
  int64_t now = kNow;
  for (int step = 0; step < 200'000; ++step) {
    // Bursts then quiet spells: the device fills, drains and fills again.
    now += (step / 5000) % 2 ? static_cast<int64_t>(random() % 20) : static_cast<int64_t>(random() % 3 == 0);
    std::string n = "n-" + std::to_string(random() % 400) + std::string(random() % 3 * 20, 'x');
    while (!by_time.empty() && by_time.front().first <= now) {
      model.erase(by_time.front().second);
      by_time.pop_front();
    }
    Verdict expected = model.count(n) ? Verdict::replayed : model.size() >= kMax ? Verdict::full : Verdict::fresh;
    if (expected == Verdict::fresh) {
      model.insert(n);
      by_time.emplace_back(now + 1000, n);
    }
    ASSERT_EQ(cache.use("dev_a", n, now), expected) << "step " << step << " nonce " << n;
  }
}

TEST(NonceCache, ServesDevicesOnEveryShardFromManyThreadsWithoutLosingANonce) {
  // Two devices per shard, each used by its own thread, all at once.
  std::vector<std::string> devices;
  std::vector<int> per_shard(kDeviceShards);
  for (int i = 0; devices.size() < 2 * kDeviceShards; ++i) {
    std::string id = "dev_" + std::to_string(i);
    if (per_shard[device_shard(id)]++ < 2) devices.push_back(id);
  }
  NonceCache cache(kRemember, 10'000);
  constexpr int kNonces = 2000;
  std::vector<int> fresh(devices.size()), replayed(devices.size());
  std::vector<std::thread> threads;
  for (size_t d = 0; d < devices.size(); ++d) {
    threads.emplace_back([&, d] {
      // Every device uses the same nonces: only its own shard may answer.
      for (int i = 0; i < kNonces; ++i) fresh[d] += cache.use(devices[d], nonce(i), kNow) == Verdict::fresh;
      for (int i = 0; i < kNonces; ++i) replayed[d] += cache.use(devices[d], nonce(i), kNow) == Verdict::replayed;
    });
  }
  for (auto& t : threads) t.join();
  for (size_t d = 0; d < devices.size(); ++d) {
    EXPECT_EQ(fresh[d], kNonces) << devices[d];
    EXPECT_EQ(replayed[d], kNonces) << devices[d];
  }
}

TEST(NonceCache, SpreadsDeviceIdsOverEveryShard) {
  std::vector<int> per_shard(kDeviceShards);
  for (int i = 0; i < 6400; ++i) ++per_shard[device_shard("dev_" + std::to_string(i))];
  for (size_t s = 0; s < kDeviceShards; ++s) {
    EXPECT_GT(per_shard[s], 50) << "shard " << s;
    EXPECT_LT(per_shard[s], 150) << "shard " << s;
  }
}
