// wait_changes (store.h, ABI 1.3): waits until the audit log holds a row
// past a seq, written by any host, woken by PostgreSQL's LISTEN / NOTIFY.
// Every group that appends audit rows notifies channel vigil_changes in its
// transaction (pg_store.cpp), so the wake comes at its commit.
//
// The waiter keeps one connection of its own, outside the pool: it sits in
// LISTEN between calls, and a pooled connection would miss notifications
// while lent to others and hold a pool slot for whole waits. It is opened on
// the first call; a broken one is dropped and reopened on the next call.
//
// Threading: one caller at a time, as store.h asks; a second caller waits
// for the first (a mutex), so two callers are correct, only slower.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

namespace vigil::store::postgres {

class ChangeWaiter {
 public:
  explicit ChangeWaiter(std::string dsn);
  ~ChangeWaiter();
  ChangeWaiter(const ChangeWaiter&) = delete;
  ChangeWaiter& operator=(const ChangeWaiter&) = delete;

  // The highest seq stored: at once when it is above `after_seq`, else when
  // a commit makes it so, or after `timeout` (then it may equal after_seq).
  // Throws sdk::Error VIGIL_UNAVAILABLE when the server cannot be reached
  // or the connection broke (the next call reconnects).
  int64_t wait(int64_t after_seq, std::chrono::milliseconds timeout);

 private:
  struct Listener;
  int64_t wait_on(Listener& listener, int64_t after_seq, std::chrono::milliseconds timeout);
  std::string dsn_;
  std::mutex mutex_;
  std::unique_ptr<Listener> listener_;
};

}  // namespace vigil::store::postgres
