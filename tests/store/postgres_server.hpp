// One throwaway PostgreSQL 15 per test binary, started on first use, on a
// Unix socket in a fresh temporary directory (so parallel test processes
// never fight over a port), as the postgres user when running as root
// (initdb refuses root). A fresh, empty schema per test (CREATE SCHEMA t_<n>,
// reached through the DSN's search_path): what the stores create lands in
// it, and it costs a fraction of CREATE DATABASE, which copies a template.
//
// It always goes away: the global test environment stops it and removes its
// directory at the end of the run (also after failed tests), an atexit
// handler does the same when the process exits early, and fatal signals
// shut the server down (kill is async-signal-safe; the directory stays).
//
// initdb takes seconds, and ctest runs every test in its own process, so the
// first process initialises a template data directory in the build tree
// (under a file lock) and every server starts from a copy of it.
#pragma once

#include <string>

namespace vigil::test::store {

class PostgresServer {
 public:
  // The running server; starts it on first use. Throws std::runtime_error
  // saying what is missing or what failed (with the server log's tail).
  static PostgresServer& shared();
  // Stops the server and removes its directory, if it was started.
  static void stop_shared() noexcept;

  // A new empty schema: the connection string that works in it.
  std::string fresh_dsn();
  // The connection string of a database on this server.
  std::string dsn(const std::string& database) const;

  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;
  ~PostgresServer();

 private:
  PostgresServer();
  void stop() noexcept;
  std::string dir_;
  int schemas_ = 0;
  bool running_ = false;
};

}  // namespace vigil::test::store
