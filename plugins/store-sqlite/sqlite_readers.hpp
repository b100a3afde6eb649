// Read connections, so queries run beside the writer and beside each other
// (WAL gives each its own snapshot). A query leases one for its duration,
// including the visitor's calls: a visitor that queries again leases another,
// one that applies uses the writer, so neither deadlocks.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sqlite_connection.hpp"

namespace vigil::store::sqlite {

class ReaderPool {
 public:
  explicit ReaderPool(std::string file) : file_(std::move(file)) {}

  class Lease {
   public:
    Lease(ReaderPool& pool, std::unique_ptr<Connection> c) : pool_(pool), connection_(std::move(c)) {}
    ~Lease() { pool_.give_back(std::move(connection_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_.get(); }

   private:
    ReaderPool& pool_;
    std::unique_ptr<Connection> connection_;
  };

  // An idle connection, or a new one: there is no cap, as each query holds
  // one only while it runs.
  Lease acquire();

 private:
  void give_back(std::unique_ptr<Connection> c) noexcept;
  std::string file_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace vigil::store::sqlite
