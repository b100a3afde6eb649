// Which clients this host acts for when several hosts share one store
// (core/cluster/README.md). Every host serves every EA and admin call;
// only the host holding a client's shard watches its positions in an
// engine, issues, re-issues and expires its close commands and saves its
// rules' states, and every write it makes for that client carries the
// lease as a fence, so a host that lost the shard can never write for it
// after another took over.
//
// Without an Ownership (one host) the workflow acts for every client.
// Threading: fence_of is called from any thread, under a book's lock.
#pragma once

#include <optional>
#include <string>

#include "core/workflow/records.hpp"

namespace vigil::core {

class Ownership {
 public:
  virtual ~Ownership() = default;
  // The lease of the client's shard while this host holds it (and may
  // still act on it by its own clock); nullopt otherwise.
  virtual std::optional<FenceRow> fence_of(const std::string& client_id) const = 0;
};

}  // namespace vigil::core
