// A small pool of connections (option pool_size): at most that many open,
// handed to one caller at a time. A caller waits for a free one, up to a
// limit, rather than opening more, so many threads cannot exhaust the
// server's max_connections. A connection that broke is dropped and replaced
// on demand, so a restarted server is reconnected to.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "pg_connection.hpp"

namespace vigil::store::postgres {

class Pool {
 public:
  // Opens one connection now, so a wrong DSN fails at create.
  Pool(std::string dsn, int size);

  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<Connection> c) : pool_(pool), connection_(std::move(c)) {}
    ~Lease() { pool_.give_back(std::move(connection_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_.get(); }

   private:
    Pool& pool_;
    std::unique_ptr<Connection> connection_;
  };

  // Throws sdk::Error (VIGIL_UNAVAILABLE) when none frees up in time or a
  // new one cannot connect.
  Lease acquire();

 private:
  void give_back(std::unique_ptr<Connection> c) noexcept;
  std::string dsn_;
  size_t size_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;
  size_t open_ = 0;  // idle and leased
};

}  // namespace vigil::store::postgres
