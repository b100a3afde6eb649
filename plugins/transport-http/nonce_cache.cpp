#include "nonce_cache.hpp"

#include <sodium.h>

#include <cstring>
#include <stdexcept>

namespace vigil::http {
namespace {

// Entries a device starts with; its ring never shrinks below this.
constexpr size_t kMinRing = 16;

// A nonce character's 6-bit code; -1 outside [A-Za-z0-9_-].
int code(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  if (c >= 'a' && c <= 'z') return c - 'a' + 36;
  if (c == '_') return 62;
  if (c == '-') return 63;
  return -1;
}

}  // namespace

NonceCache::NonceCache(int64_t remember_ms, size_t max_per_device)
    : remember_ms_(remember_ms), max_(max_per_device), shards_(std::make_unique<Shard[]>(kDeviceShards)) {
  // A device's index (twice its ring, the ring the next power of two from
  // the bound) must stay under 2^31 slots: see probe().
  if (max_per_device == 0 || max_per_device > (size_t{1} << 30))
    throw std::invalid_argument("nonces per device: from 1 to 2^30");
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  randombytes_buf(hash_key_.data(), hash_key_.size());
}

bool NonceCache::pack(std::string_view nonce, Key& key) {
  if (nonce.empty() || nonce.size() > kMaxNonceLength) return false;
  for (size_t i = 0; i < nonce.size(); ++i) {
    int value = code(nonce[i]);
    if (value < 0) return false;
    size_t bit = 6 * i, word = bit / 64, shift = bit % 64;
    key.bits[word] |= static_cast<uint64_t>(value) << shift;
    if (shift > 58) key.bits[word + 1] |= static_cast<uint64_t>(value) >> (64 - shift);
  }
  key.length = static_cast<uint8_t>(nonce.size());
  return true;
}

uint32_t NonceCache::hash(const Key& key) const {
  unsigned char in[sizeof key.bits + 1];
  std::memcpy(in, key.bits.data(), sizeof key.bits);
  in[sizeof key.bits] = key.length;
  unsigned char out[crypto_shorthash_BYTES];
  crypto_shorthash(out, in, sizeof in, hash_key_.data());
  uint32_t h;
  std::memcpy(&h, out, sizeof h);
  return h;
}

// The index never exceeds 2^31 slots (the constructor's bound), so a
// slot's home is the low bits of its hash whether or not the top bit is set.
size_t NonceCache::Device::probe(const Key& key, uint32_t hash) const {
  size_t mask = index.size() - 1;
  uint64_t tag = static_cast<uint64_t>(hash | 0x80000000u);
  size_t i = hash & mask;
  for (uint64_t slot = index[i]; slot != 0; slot = index[i]) {
    if ((slot >> 32) == tag && at(seq_of(slot)).holds(key)) return i;
    i = (i + 1) & mask;
  }
  return i;
}

void NonceCache::Device::add(const Key& key, uint32_t hash, int64_t expires_ms, size_t slot) {
  if (size() == ring.size()) {
    resize(ring.size() * 2);
    slot = probe(key, hash);
  }
  uint64_t seq = next++;
  at(seq) = Entry{expires_ms, hash, key.length, key.bits};
  index[slot] = slot_value(hash, seq);
}

// Linear probing's deletion without tombstones: each later slot of the
// probe run moves back into the hole when the hole lies between the slot's
// home and where it sits.
void NonceCache::Device::erase_oldest() {
  size_t mask = index.size() - 1;
  uint32_t hash = at(oldest).hash;
  uint64_t wanted = slot_value(hash, oldest);
  size_t hole = hash & mask;
  while (index[hole] != wanted) hole = (hole + 1) & mask;
  for (size_t j = (hole + 1) & mask; index[j] != 0; j = (j + 1) & mask) {
    size_t home = static_cast<size_t>(index[j] >> 32) & mask;
    if (((j - home) & mask) >= ((j - hole) & mask)) {
      index[hole] = index[j];
      hole = j;
    }
  }
  index[hole] = 0;
  ++oldest;
}

void NonceCache::Device::resize(size_t ring_size) {
  std::vector<Entry> moved(ring_size);
  for (uint64_t seq = oldest; seq < next; ++seq) moved[seq & (ring_size - 1)] = at(seq);
  ring.swap(moved);
  index.assign(2 * ring_size, 0);
  size_t mask = index.size() - 1;
  for (uint64_t seq = oldest; seq < next; ++seq) {
    size_t i = at(seq).hash & mask;
    while (index[i] != 0) i = (i + 1) & mask;
    index[i] = slot_value(at(seq).hash, seq);
  }
}

NonceCache::Verdict NonceCache::use(std::string_view device_id, std::string_view nonce, int64_t now_ms) {
  Key key;
  if (!pack(nonce, key)) throw std::invalid_argument("a nonce is 1 to 64 characters of [A-Za-z0-9_-]");
  uint32_t h = hash(key);
  Shard& shard = shards_[device_shard(device_id)];
  std::lock_guard lock(shard.mutex);
  auto found = shard.devices.find(device_id);
  if (found == shard.devices.end()) found = shard.devices.try_emplace(std::string(device_id)).first;
  Device& d = found->second;
  if (d.ring.empty()) d.resize(kMinRing);
  while (d.size() > 0 && d.at(d.oldest).expires_ms <= now_ms) d.erase_oldest();
  // A burst's memory is given back as it expires (a quarter full at most after halving).
  if (d.ring.size() > kMinRing && d.size() <= d.ring.size() / 8) d.resize(d.ring.size() / 2);
  size_t slot = d.probe(key, h);
  if (d.index[slot] != 0) return Verdict::replayed;
  if (d.size() >= max_) return Verdict::full;
  d.add(key, h, now_ms + remember_ms_, slot);
  return Verdict::fresh;
}

}  // namespace vigil::http
