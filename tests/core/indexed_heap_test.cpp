#include "core/engine/indexed_heap.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>

using vigil::core::IndexedHeap;

TEST(IndexedHeap, PopsInKeyOrder) {
  std::vector<uint32_t> slots(5, IndexedHeap::kAbsent);
  IndexedHeap heap(&slots);
  heap.push(0, 30);
  heap.push(1, 10);
  heap.push(2, 20);
  EXPECT_EQ(heap.pop(), 1u);
  EXPECT_EQ(heap.pop(), 2u);
  EXPECT_EQ(heap.pop(), 0u);
  EXPECT_TRUE(heap.empty());
  EXPECT_EQ(slots[1], IndexedHeap::kAbsent);
}

// Random pushes, erases and re-keys against an ordered map of the same.
TEST(IndexedHeap, AgreesWithAnOrderedMapUnderRandomOperations) {
  std::mt19937_64 random(7);
  const uint32_t handles = 500;
  std::vector<uint32_t> slots(handles, IndexedHeap::kAbsent);
  IndexedHeap heap(&slots);
  std::map<uint32_t, int64_t> model;
  for (int step = 0; step < 20000; ++step) {
    uint32_t h = static_cast<uint32_t>(random() % handles);
    int64_t key = static_cast<int64_t>(random() % 1000) - 500;
    bool present = model.count(h) > 0;
    switch (random() % 4) {
      case 0:
        if (!present) heap.push(h, key), model[h] = key;
        break;
      case 1:
        if (present) heap.erase(h), model.erase(h);
        break;
      case 2:
        if (present) heap.rekey(h, key), model[h] = key;
        break;
      default:
        if (!model.empty()) {
          int64_t least = INT64_MAX;
          for (auto& [handle, k] : model) least = std::min(least, k);
          ASSERT_EQ(heap.top().key, least);
          uint32_t popped = heap.pop();
          ASSERT_EQ(model.at(popped), least);
          model.erase(popped);
        }
    }
    ASSERT_EQ(heap.size(), model.size());
    for (auto& [handle, k] : model) ASSERT_NE(slots[handle], IndexedHeap::kAbsent);
  }
}
