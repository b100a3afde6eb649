// The memory store as a plugin library (store-memory), for the conformance
// suite: the same class the workflow tests build in-process.
#include "memory_store.hpp"

VIGIL_PLUGIN("store-memory", "1.0.0", "test fixture: a store held in memory",
             vigil::sdk::store<vigil::test::MemoryStore>())
