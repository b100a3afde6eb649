// Vigil C++ SDK — stores. See store.h for the model; records stay the C
// structs of store.h, which a store maps to its tables.
#pragma once

#include <cstddef>
#include <cstdint>

#include "vigil/cpp/host.hpp"
#include "vigil/store.h"

namespace vigil::sdk {

class Store {
 public:
  virtual ~Store() = default;
  // Applies pending migrations; returns the schema version reached.
  virtual int64_t migrate() = 0;
  // One transaction for the whole group, or nothing (throw).
  virtual void apply(const vigil_store_write* writes, size_t count) = 0;
  virtual void query(const vigil_store_query& query, const vigil_store_visitor& visitor) = 0;
};

}  // namespace vigil::sdk
