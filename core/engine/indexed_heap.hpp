// A binary min-heap of (key, handle) whose entries can be erased or re-keyed
// by handle in O(log n). Where each handle sits is written into a table the
// owner provides (`slots[handle]`), so a handle costs 4 bytes of index.
//
// The engine's trigger books are such heaps: a tick only ever asks "is the
// nearest level crossed?", which the top answers in O(1).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace vigil::core {

class IndexedHeap {
 public:
  static constexpr uint32_t kAbsent = UINT32_MAX;
  struct Entry {
    int64_t key;
    uint32_t handle;
  };

  // `slots` outlives the heap and is indexed by handle; the heap keeps
  // slots[h] = position of h in the heap, kAbsent once popped or erased.
  explicit IndexedHeap(std::vector<uint32_t>* slots) : slots_(slots) {}

  bool empty() const noexcept { return entries_.empty(); }
  size_t size() const noexcept { return entries_.size(); }
  const Entry& top() const noexcept { return entries_.front(); }
  size_t capacity_bytes() const noexcept { return entries_.capacity() * sizeof(Entry); }

  void push(uint32_t handle, int64_t key) {
    entries_.push_back({key, handle});
    sift_up(entries_.size() - 1);
  }

  uint32_t pop() {
    uint32_t handle = entries_.front().handle;
    erase_at(0);
    return handle;
  }

  void erase(uint32_t handle) { erase_at((*slots_)[handle]); }

  void rekey(uint32_t handle, int64_t key) {
    size_t at = (*slots_)[handle];
    int64_t old = entries_[at].key;
    entries_[at].key = key;
    if (key < old)
      sift_up(at);
    else
      sift_down(at);
  }

 private:
  void place(size_t at, Entry entry) {
    entries_[at] = entry;
    (*slots_)[entry.handle] = static_cast<uint32_t>(at);
  }

  void erase_at(size_t at) {
    (*slots_)[entries_[at].handle] = kAbsent;
    Entry last = entries_.back();
    entries_.pop_back();
    if (at == entries_.size()) return;
    place(at, last);
    sift_up(at);
    sift_down((*slots_)[last.handle]);
  }

  void sift_up(size_t at) {
    Entry moving = entries_[at];
    while (at > 0) {
      size_t parent = (at - 1) / 2;
      if (entries_[parent].key <= moving.key) break;
      place(at, entries_[parent]);
      at = parent;
    }
    place(at, moving);
  }

  void sift_down(size_t at) {
    Entry moving = entries_[at];
    size_t n = entries_.size();
    for (;;) {
      size_t child = 2 * at + 1;
      if (child >= n) break;
      if (child + 1 < n && entries_[child + 1].key < entries_[child].key) ++child;
      if (moving.key <= entries_[child].key) break;
      place(at, entries_[child]);
      at = child;
    }
    place(at, moving);
  }

  std::vector<Entry> entries_;
  std::vector<uint32_t>* slots_;
};

}  // namespace vigil::core
