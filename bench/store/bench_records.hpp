// The records of the benchmark: a client, a device, a signal and N open
// positions to set up; then, per breach, what core writes when a stop is
// hit: the close command (insert), the position moving to closing (update,
// version 1 -> 2) and an audit row. Strings are owned here; the C structs
// of store.h view them, so keep a Breaches alive while its writes are used.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "vigil/store.h"

namespace vigil::bench {

class Breaches {
 public:
  explicit Breaches(size_t count);

  // The writes that set up the positions, in groups of `group` writes.
  std::vector<std::vector<vigil_store_write>> setup(size_t group) const;
  // The three writes of breaches [first, first + count).
  std::vector<vigil_store_write> writes(size_t first, size_t count) const;
  size_t size() const { return commands_.size(); }

 private:
  vigil_str keep(std::string text);
  std::deque<std::string> texts_;
  vigil_store_client client_{};
  vigil_store_device device_{};
  vigil_store_signal signal_{};
  std::vector<vigil_store_position> opened_, closing_;
  std::vector<vigil_store_command> commands_;
  std::vector<vigil_store_audit> audits_;
};

}  // namespace vigil::bench
