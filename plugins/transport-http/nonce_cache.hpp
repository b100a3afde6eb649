// Nonces each device has used within the signature window: a nonce seen
// again is a replay. Bounded per device; a device that fills its share
// within one window is refused rather than having old nonces forgotten
// early (forgetting would open a replay).
//
// Layout, for many EAs polling at once:
// - Devices are spread over shards (device_shard.hpp), each shard with its
//   own mutex: devices on different shards never wait for each other, and
//   a shard's lock is held for one lookup and insert (the nonce is packed
//   and hashed before).
// - A device's nonces are each stored once, packed exactly (6 bits per
//   character of [A-Za-z0-9_-], plus the length: two keys are equal only
//   when the nonces are the same text, so no false replay and no missed
//   one) in a ring in the order they were used, which is the order they
//   expire in. An open-addressing index over the ring (linear probing,
//   SipHash under a key drawn at construction, so that a device cannot
//   choose nonces that pile up in one probe run) finds a nonce by value.
//   Both grow and shrink by powers of two with the device's count: no
//   allocation per nonce, 64 bytes a nonce in the ring and 16 in the index
//   at most. Expired nonces are dropped, and memory given back, when their
//   device is next used (as before: an idle device keeps its last window).
//
// Errors: the constructor throws std::invalid_argument for a bound outside
// 1 to 2^30; use() throws std::invalid_argument for a nonce that is not 1-64
// characters of [A-Za-z0-9_-] (DeviceAuth refuses those before), and
// std::bad_alloc when out of memory.
//
// Threading: all members are thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "device_shard.hpp"

namespace vigil::http {

class NonceCache {
 public:
  enum class Verdict { fresh, replayed, full };
  static constexpr size_t kMaxNonceLength = 64;

  NonceCache(int64_t remember_ms, size_t max_per_device);
  // Records the nonce when fresh. Nonces expire in the order they were
  // recorded, `remember_ms` after `now_ms`.
  Verdict use(std::string_view device_id, std::string_view nonce, int64_t now_ms);

 private:
  // A nonce packed exactly: 6 bits per character, and its length.
  struct Key {
    std::array<uint64_t, 6> bits{};
    uint8_t length = 0;
  };
  struct Entry {
    int64_t expires_ms;
    uint32_t hash;
    uint8_t length;
    std::array<uint64_t, 6> bits;
    bool holds(const Key& key) const { return length == key.length && bits == key.bits; }
  };
  // One device's nonces: the ring of entries, oldest first, addressed by a
  // sequence number (entry `seq` sits at ring[seq & (ring.size() - 1)]),
  // and the index, twice as many slots as ring entries. A slot holds the
  // entry's hash with its top bit set (so that a used slot is never 0) over
  // the low 32 bits of its sequence number (unique among live entries: a
  // device holds fewer than 2^32): probing compares hashes in the index and
  // reads an entry, elsewhere in memory, only when they are equal.
  struct Device {
    std::vector<Entry> ring;
    std::vector<uint64_t> index;    // 0: empty
    uint64_t oldest = 0, next = 0;  // live entries are [oldest, next)

    size_t size() const { return static_cast<size_t>(next - oldest); }
    const Entry& at(uint64_t seq) const { return ring[seq & (ring.size() - 1)]; }
    Entry& at(uint64_t seq) { return ring[seq & (ring.size() - 1)]; }
    static uint64_t slot_value(uint32_t hash, uint64_t seq) {
      return (static_cast<uint64_t>(hash | 0x80000000u) << 32) | static_cast<uint32_t>(seq);
    }
    // The live sequence number whose low 32 bits a slot holds.
    uint64_t seq_of(uint64_t slot) const {
      return oldest + static_cast<uint32_t>(static_cast<uint32_t>(slot) - static_cast<uint32_t>(oldest));
    }
    // Records a key that probe() did not find, `slot` being the empty slot it ended on.
    void add(const Key& key, uint32_t hash, int64_t expires_ms, size_t slot);
    // The slot holding a key equal to `key`, else the empty slot that ends its probe run.
    size_t probe(const Key& key, uint32_t hash) const;
    void erase_oldest();
    void resize(size_t ring_size);
  };
  struct alignas(64) Shard {  // a cache line each: no false sharing between shard locks
    std::mutex mutex;
    std::unordered_map<std::string, Device, DeviceIdHash, std::equal_to<>> devices;
  };

  static bool pack(std::string_view nonce, Key& key);
  uint32_t hash(const Key& key) const;

  int64_t remember_ms_;
  size_t max_;
  std::array<unsigned char, 16> hash_key_{};
  std::unique_ptr<Shard[]> shards_;
};

}  // namespace vigil::http
